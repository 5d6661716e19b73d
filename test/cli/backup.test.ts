/**
 * `wce export` and `wce import` against a real server (the owner's export and import API):
 * a consistent SQLite file written 0600 (or SQL text to standard output), an import that
 * replaces the data, ends every session (the kept token is forgotten: log in again), and
 * one undo; a file that is not a cenv changes nothing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestServer } from '../helpers/server.ts';
import { closeCliServer, startCliServer, type Cli } from '../helpers/cli.ts';

let server: TestServer;
let cli: Cli;

before(async () => {
  ({ server, cli } = await startCliServer());
  await cli.newCenv('shop');
  await cli.ok(['sql'], { input: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO items (name) VALUES ('tea'), ('cup');\n" });
});
after(() => closeCliServer(server, cli));

const names = async () => JSON.parse((await cli.ok(['sql', 'SELECT name FROM items ORDER BY id'])).stdout).rows.flat();

test('export writes a SQLite file (0600) or SQL text; import puts it back, ends the sessions, and can be undone', async () => {
  const file = path.join(cli.home, 'shop.db');
  const exported = await cli.ok(['export', file]);
  assert.match(exported.stdout, /^Exported shop to .*shop\.db \(\d+(\.\d)? KB\)\n$/);
  assert.equal(readFileSync(file).subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(exported.stderr, '', 'no progress bar when standard error is not a terminal');
  assert.match((await cli.ok(['export', '-', '--sql'])).stdout, /CREATE TABLE items/);

  await cli.ok(['sql', "INSERT INTO items (name) VALUES ('pot')"]);
  const imported = await cli.ok(['import', file]);
  assert.match(imported.stdout, /^Imported .*shop\.db into shop \(\d+(\.\d)? KB, \d+ tables, 1 users; owner ada\)\n$/);
  assert.match(imported.stderr, /Every session has ended\. Log in again: wce login shop --username ada/);
  const ended = await cli.run(['users', 'list']);
  assert.equal(ended.code, 3, 'the token was forgotten: an admin command asks to log in');
  assert.match(ended.stderr, /Log in: wce login shop/);
  const kept = JSON.parse(readFileSync(path.join(cli.home, '.config/wce/credentials.json'), 'utf8'));
  assert.equal(Object.keys(Object.values<{ cenvs: object }>(kept.servers)[0].cenvs).length, 0, 'the credentials file no longer holds the token');
  await cli.ok(['login', 'shop', '--username', 'ada'], { env: { WCE_PASSWORD: 'correct horse battery' } });
  assert.deepEqual(await names(), ['tea', 'cup'], 'the data is the exported data');

  assert.match((await cli.ok(['import', '--undo'])).stdout, /^shop is as it was before the import\.\n$/);
  await cli.ok(['login', 'shop', '--username', 'ada'], { env: { WCE_PASSWORD: 'correct horse battery' } });
  assert.deepEqual(await names(), ['tea', 'cup', 'pot']);
});

test('a file that is not a cenv is refused, and nothing changes', async () => {
  const junk = path.join(cli.home, 'junk.db');
  writeFileSync(junk, 'not a database at all');
  const refused = await cli.run(['import', junk]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^wce import: .*\[4\d\d WCE_ERR_[A-Z_]+\]\n$/);
  assert.deepEqual(await names(), ['tea', 'cup', 'pot']);
  const missing = await cli.run(['import', path.join(cli.home, 'nope.db')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*nope\.db/);
});
