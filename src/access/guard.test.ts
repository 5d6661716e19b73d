import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, run, failure } from '../../test/security/fixture.ts';
import { createPolicy } from './policies.ts';

test('guard: the authorizer denies everything outside runAs/trusted, and trusted allows WCE\'s own SQL', () => {
  const f = openFixture();
  try {
    assert.throws(() => f.db.prepare('SELECT * FROM tags'), /not authorized/);
    assert.equal(f.guard.trusted(() => f.db.prepare('SELECT count(*) AS n FROM _wce_users').get() as { n: number }).n, 4);
  } finally {
    f.close();
  }
});

test('guard: a statement is cached per principal class and access state', () => {
  const f = openFixture();
  try {
    const first = f.guard.prepare('SELECT * FROM tags', f.alice);
    assert.equal(f.guard.prepare('SELECT * FROM tags', f.bob), first, 'same role, no own grants: shared');
    assert.notEqual(f.guard.prepare('SELECT * FROM tags', f.owner), first);
    assert.deepEqual(first.reads, ['tags']);
    assert.deepEqual(f.guard.prepare("UPDATE posts SET title = 'x'", f.alice).writes, [{ table: 'posts', operations: ['update'] }]);
    assert.equal(f.guard.prepare('CREATE TABLE t (x)', f.owner).ddl, true);
  } finally {
    f.close();
  }
});

test('guard: reads include the tables a row policy reads, not only the statement\'s own', () => {
  const f = openFixture();
  try {
    f.admin.exec('CREATE TABLE gate_open (open INTEGER)');
    createPolicy(f.admin, { table: 'tags', name: 'gated', commands: ['select'], roles: ['user'], using: 'EXISTS (SELECT 1 FROM gate_open WHERE open = 1)', kind: 'permissive' }, f.actor);
    assert.deepEqual(f.guard.prepare('SELECT * FROM tags', f.alice).reads.sort(), ['gate_open', 'tags']);
  } finally {
    f.close();
  }
});

test('guard: explain maps a policy violation and passes other errors through', () => {
  const f = openFixture();
  try {
    const error = new Error('new row violates row policy "own" for table "posts"');
    assert.equal((f.guard.explain(error) as Error & { statusCode: number }).statusCode, 403);
    assert.equal(f.guard.explain(new Error('UNIQUE constraint failed: tags.name')), null);
  } finally {
    f.close();
  }
});

test('guard: policy objects undone by a rollback are built again before the next statement', () => {
  const f = openFixture();
  try {
    createPolicy(f.admin, { table: 'tags', name: 'none', commands: ['all'], roles: ['user'], using: '0', kind: 'permissive' }, f.actor);
    f.guard.trusted(() => f.db.exec('BEGIN'));
    assert.deepEqual(run(f, f.alice, 'SELECT * FROM tags'), []); // rebuilds inside the transaction
    f.guard.trusted(() => f.db.exec('ROLLBACK'));
    assert.deepEqual(run(f, f.alice, 'SELECT * FROM tags'), []);
    const triggers = f.guard.trusted(() => f.db.prepare("SELECT count(*) AS n FROM temp.sqlite_schema WHERE type = 'trigger'").get() as { n: number }).n;
    assert.equal(triggers, 6, 'posts and tags each have their three policy triggers');
  } finally {
    f.close();
  }
});

test('guard: a policy that no longer compiles closes its table to users, not to admins', () => {
  const f = openFixture();
  try {
    createPolicy(f.admin, { table: 'tags', name: 'by name', commands: ['select'], roles: ['user'], using: "name <> 'x'", kind: 'permissive' }, f.actor);
    assert.equal(run(f, f.alice, 'SELECT * FROM tags').length, 2);
    f.admin.exec('DROP TABLE tags; CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT)');
    assert.equal(failure(() => run(f, f.alice, 'SELECT * FROM tags')), 403);
    assert.equal(failure(() => run(f, f.alice, "INSERT INTO tags (label) VALUES ('x')")), 403);
    assert.deepEqual(run(f, f.owner, 'SELECT * FROM tags'), []);
  } finally {
    f.close();
  }
});

test('guard: admin DDL on this connection is picked up (a re-created protected table is protected again)', () => {
  const f = openFixture();
  try {
    run(f, f.owner, 'DROP TABLE posts');
    run(f, f.owner, 'CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT, title TEXT, body TEXT, published INTEGER)');
    run(f, f.owner, "INSERT INTO posts VALUES (1, 'someone', 't', 'hidden', 0)");
    assert.deepEqual(run(f, f.alice, 'SELECT * FROM posts'), []);
    assert.equal(failure(() => run(f, f.alice, "INSERT INTO posts (author, title) VALUES ('someone', 'x')")), 403);
  } finally {
    f.close();
  }
});

test('guard: a statement SQLite re-prepares while stepping (schema changed) never writes unguarded', () => {
  const f = openFixture();
  try {
    const { stmt } = f.guard.runAs(f.alice, () => f.guard.prepare("INSERT INTO posts (author, title) VALUES ('someone else', 'x')", f.alice));
    f.admin.exec('CREATE TABLE unrelated (x)');
    const before = f.admin.prepare('SELECT count(*) AS n FROM posts').get();
    assert.throws(() => f.guard.runAs(f.alice, () => stmt.run()), (e: Error) => /not authorized|row policy/.test(e.message));
    assert.deepEqual(f.admin.prepare('SELECT count(*) AS n FROM posts').get(), before);
    const select = f.guard.runAs(f.alice, () => f.guard.prepare('SELECT count(*) AS n FROM posts', f.alice)).stmt;
    f.admin.exec('CREATE TABLE unrelated2 (x)');
    assert.deepEqual({ ...(f.guard.runAs(f.alice, () => select.get()) as object) }, { n: 3 }, 'a re-prepared read still goes through the policy view');
  } finally {
    f.close();
  }
});

test('guard: admins can create views and triggers over protected tables; users cannot read through them', () => {
  const f = openFixture();
  try {
    run(f, f.owner, 'CREATE VIEW recent AS SELECT id, title FROM posts ORDER BY id DESC');
    run(f, f.owner, 'CREATE TABLE counts (n INTEGER)');
    run(f, f.owner, 'CREATE TRIGGER count_posts AFTER INSERT ON posts BEGIN INSERT INTO counts SELECT count(*) FROM posts; END');
    assert.equal(run(f, f.owner, 'SELECT * FROM recent').length, 4);
    assert.equal(failure(() => run(f, f.alice, 'SELECT * FROM recent')), 403);
  } finally {
    f.close();
  }
});

test('guard: prepare inside runAs must name the same principal', () => {
  const f = openFixture();
  try {
    assert.throws(() => f.guard.runAs(f.alice, () => f.guard.prepare('SELECT 1', f.bob)), /same principal/);
  } finally {
    f.close();
  }
});

test('guard: admins alter protected tables (add, rename, drop columns); renaming the table is refused', () => {
  const f = openFixture();
  try {
    run(f, f.owner, 'ALTER TABLE posts ADD COLUMN tag TEXT');
    run(f, f.owner, 'ALTER TABLE posts RENAME COLUMN body TO content');
    run(f, f.owner, 'ALTER TABLE posts DROP COLUMN tag');
    assert.deepEqual(Object.keys(run(f, f.alice, 'SELECT * FROM posts')[0]), ['id', 'author', 'title', 'content', 'published']);
    assert.equal(run(f, f.alice, 'SELECT * FROM posts').length, 3, 'still filtered');
    assert.equal(failure(() => run(f, f.alice, "INSERT INTO posts (author, title) VALUES ('x', 'y')")), 403, 'still checked');
    assert.equal(failure(() => run(f, f.owner, 'ALTER TABLE posts RENAME TO articles')), 400);
    assert.equal(failure(() => run(f, f.owner, 'ALTER TABLE posts ADD COLUMN z INT CHECK (z IS NOT NULL)')), 'sqlite', 'fails while running');
    assert.equal(run(f, f.alice, 'SELECT * FROM posts').length, 3, 'policy objects are back after a failed ALTER');
    assert.equal(failure(() => run(f, f.owner, 'ALTER TABLE posts DROP COLUMN author')), 400, 'the policies read it');
    assert.equal(failure(() => run(f, f.owner, 'ALTER TABLE posts RENAME COLUMN published TO live')), 400);
    f.admin.exec('ALTER TABLE posts DROP COLUMN author'); // outside the guard: the table closes instead
    assert.equal(failure(() => run(f, f.alice, 'SELECT * FROM posts')), 403);
    assert.equal(run(f, f.owner, 'SELECT * FROM posts').length, 4);
  } finally {
    f.close();
  }
});
