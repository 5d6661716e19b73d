/**
 * The PocketBase-style data set: 500 users and 100,000 posts with an author column (200 per
 * user, indexed by author), a table grant to the `user` role and the row policy
 * `author = $user_id` for every command — built in a cenv that WCE created over HTTP.
 *
 * Users and posts are written straight into the cenv file (500 users through the admin API
 * would cost 500 bcrypt hashes); the grant and the policy go through the admin API, which
 * bumps the access version the sandbox children watch.
 */
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { insertUser } from '../../src/auth/users.ts';
import { PasswordHasher } from '../../src/auth/passwords.ts';
import { createCenv, login, request, bearer } from '../../test/helpers/server.ts';

export const USERS = 500;
export const POSTS = 100_000;
const PASSWORD = 'bench password 1';

export interface DataSet {
  cenvId: string;
  file: string;
  /** The user the measured requests are made as, with a bearer token. */
  user: { id: string; token: string };
  /** A post of that user (what "get one" fetches). */
  postId: number;
}

function fill(file: string, passwordHash: string): void {
  const db = new DatabaseSync(file, { timeout: 5000 });
  db.exec(`CREATE TABLE posts (
      id INTEGER PRIMARY KEY, author TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, created TEXT NOT NULL);
    CREATE INDEX posts_author ON posts (author, id)`);
  db.exec('BEGIN');
  const ids = Array.from({ length: USERS }, (_, i) => insertUser(db, `user${i}`, passwordHash, 'user').id);
  const insert = db.prepare('INSERT INTO posts (author, title, body, created) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < POSTS; i++) {
    insert.run(ids[i % USERS], `Post number ${i}`, `Body of post ${i}. `.repeat(8), new Date(1.7e12 + i * 60_000).toISOString());
  }
  db.exec('COMMIT');
  db.close();
}

/** Builds the data set through the running WCE at `url`, whose data directory is `dataDir`. */
export async function createDataSet(url: string, dataDir: string): Promise<DataSet> {
  const cenv = await createCenv(url, { username: 'owner' });
  const owner = await login(url, cenv.id, cenv.username, cenv.password);
  const file = path.join(dataDir, `${cenv.id}.db`);
  fill(file, await new PasswordHasher(4).hash(PASSWORD));
  const admin = async (route: string, body: unknown) => {
    const response = await request(`${url}/${cenv.id}${route}`, { body, headers: bearer(owner.token) });
    if (response.status !== 201) throw new Error(`${route}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  await admin('/admin/permissions', { table: 'posts', role: 'user', operations: ['select', 'insert'] });
  await admin('/admin/policies', {
    table: 'posts', name: 'own posts', commands: ['all'], roles: ['user'], using: 'author = $user_id', check: 'author = $user_id',
  });
  // The create case writes ~10,000 rows a second: with the default 100 MB cap a longer run
  // (BENCH_SECONDS, BENCH_RUNS) would fill the file and measure 507s instead of inserts.
  const config = await request(`${url}/${cenv.id}/admin/config`, { method: 'PUT', body: { max_db_bytes: 4 * 1024 ** 3 }, headers: bearer(owner.token) });
  if (config.status !== 200) throw new Error(`max_db_bytes: ${config.status} ${JSON.stringify(config.body)}`);
  const user = await login(url, cenv.id, 'user42', PASSWORD);
  const db = new DatabaseSync(file, { readOnly: true });
  const { id } = db.prepare('SELECT id FROM posts WHERE author = ? ORDER BY id DESC LIMIT 1').get(user.userId) as { id: number };
  db.close();
  return { cenvId: cenv.id, file, user: { id: user.userId, token: user.token }, postId: id };
}
