/**
 * `wce events` against a real server: the changes a user may see, as they happen — a row
 * outside their policy never shows, one that leaves it prints as "leave" — a snapshot first
 * on request, JSON lines or text, and a refusal (a table without a grant) as a failure.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnServer, startServer, type TestServer } from '../helpers/server.ts';
import { Cli } from '../helpers/cli.ts';

let server: TestServer;
let owner: Cli;
let bob: Cli;

before(async () => {
  server = await startServer();
  owner = new Cli(server.url);
  await owner.newCenv('club');
  await owner.ok(['sql'], { input: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, who TEXT NOT NULL, text TEXT);\n' });
  await owner.ok(['users', 'add', 'bob', '--password-stdin'], { input: 'long enough pw\n' });
  const dir = path.join(owner.home, 'project');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'policies.json'), JSON.stringify({
    grants: [{ table: 'notes', role: 'user', operations: ['select'] }],
    policies: [{ table: 'notes', name: 'mine', commands: ['select'], roles: ['user'], using: "who = 'bob'" }],
  }));
  await owner.ok(['push', dir]);
  await owner.ok(['sql', "INSERT INTO notes (who, text) VALUES ('bob', 'first')"]);
  bob = new Cli(server.url);
  await bob.ok(['login', 'club', '--username', 'bob', '--password-stdin'], { input: 'long enough pw\n' });
});
after(async () => {
  owner.cleanup();
  bob.cleanup();
  await server.close();
});

test('bob sees his rows change and leave, never the others; a snapshot first', async () => {
  const w = bob.watch(['events', 'notes', '--snapshot', '--text']);
  try {
    await w.until(/listening to notes/);
    await w.until(/notes: 1 rows now\n {2}\[1\] \{"id":1,"who":"bob","text":"first"\}/);
    await owner.ok(['sql', "INSERT INTO notes (who, text) VALUES ('eve', 'secret'), ('bob', 'second')"]);
    await w.until(/insert notes \[3\] \{"id":3,"who":"bob","text":"second"\}/);
    await owner.ok(['sql', "UPDATE notes SET who = 'eve' WHERE id = 1"]);
    await w.until(/leave notes \[1\]/);
    assert.doesNotMatch(w.output(), /secret|"id":2/, 'a row outside his policy never shows');
  } finally {
    w.child.kill();
  }
});

test('JSON lines when asked; a table without a grant is refused before the stream opens', async () => {
  const w = owner.watch(['events', 'notes', '--json']);
  try {
    await w.until(/"event":"ready"/);
    await owner.ok(['sql', "INSERT INTO notes (who, text) VALUES ('ann', 'hi')"]);
    await w.until(/\{"event":"change","id":"[^"]+","data":\{"table":"notes","op":"insert","key":\[\d+\],"row":\{[^}]*"who":"ann"/);
  } finally {
    w.child.kill();
  }
  await owner.ok(['sql', 'CREATE TABLE private (x)']);
  const refused = await bob.run(['events', 'private']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /\[403 WCE_ERR_FORBIDDEN\]/);
  const nothing = await bob.run(['events']);
  assert.equal(nothing.code, 2);
});

test('a server restart mid-stream: the server still stops, the command says so, resumes and goes on printing', async () => {
  let live = await spawnServer({ WCE_LOG_LEVEL: 'warn' });
  const port = new URL(live.url).port;
  const cli = new Cli(live.url);
  try {
    await cli.newCenv('restarts');
    await cli.ok(['sql', 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)']);
    const w = cli.watch(['events', 't', '--text']);
    try {
      await w.until(/listening to t/);
      live.child.kill('SIGTERM');
      const stopped = await Promise.race([live.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
      assert.equal(stopped, 0, 'SIGTERM stops the server even with an event stream open');
      await w.until(/the stream closed; resuming/);
      live = await spawnServer({ WCE_LOG_LEVEL: 'warn', WCE_PORT: port, WCE_DATA_DIR: live.dataDir });
      await w.until(/reset /); // the restarted server no longer holds the changes before it: reload
      await cli.ok(['sql', "INSERT INTO t (v) VALUES ('after')"]);
      await w.until(/insert t \[1\] \{"id":1,"v":"after"\}/);
    } finally {
      w.child.kill();
    }
  } finally {
    cli.cleanup();
    live.child.kill('SIGTERM');
    await live.exited;
  }
});
