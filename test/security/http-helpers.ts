/**
 * A real server, a cenv with an owner, an admin ("adam") and a user ("ursula"), a second cenv,
 * a `posts` table, and a `call` helper for JSON requests as one of them.
 */
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn, type JsonResponse } from '../helpers/server.ts';

export interface AdminWorld {
  server: TestServer;
  cenv: NewCenv;
  other: NewCenv;
  owner: LoggedIn;
  admin: LoggedIn;
  user: LoggedIn;
  call<T = any>(who: LoggedIn | null, method: string, path: string, body?: unknown, cenv?: string): Promise<JsonResponse<T>>;
  close(): Promise<void>;
}

/** Starts the server and creates the users. */
/** `env` sets server variables, e.g. ceilings an operator raised. */
export async function adminWorld(env: Record<string, string> = {}): Promise<AdminWorld> {
  const server = await startServer({ env });
  const cenv = await createCenv(server.url);
  const other = await createCenv(server.url);
  const owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  const call = <T = any>(who: LoggedIn | null, method: string, path: string, body?: unknown, target = cenv.id) =>
    request<T>(`${server.url}/${target}${path}`, { method, body, headers: who ? bearer(who.token) : {} });
  for (const [username, role] of [['adam', 'admin'], ['ursula', 'user']]) {
    const created = await call(owner, 'POST', '/admin/users', { username, password: 'long enough pw', role });
    if (created.status !== 201) throw new Error(`user setup failed: ${JSON.stringify(created.body)}`);
  }
  const admin = await login(server.url, cenv.id, 'adam', 'long enough pw');
  const user = await login(server.url, cenv.id, 'ursula', 'long enough pw');
  await server.deps.pools.use(cenv.id, (db) => db.exec('CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT, title TEXT)'));
  return { server, cenv, other, owner, admin, user, call, close: () => server.close() };
}
