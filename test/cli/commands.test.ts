/**
 * The `wce` command against a real server, as a child process with its own config
 * directory: help everywhere, exit codes by kind of failure, a token kept 0600 per server and
 * cenv, SQL as a table or as JSON, users, logout.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestServer } from '../helpers/server.ts';
import { closeCliServer, startCliServer, type Cli } from '../helpers/cli.ts';

let server: TestServer;
let cli: Cli;

before(async () => ({ server, cli } = await startCliServer()));
after(() => closeCliServer(server, cli));

describe('help and usage', () => {
  test('wce alone prints the commands and exit codes; every command has --help', async () => {
    const bare = await cli.ok([]);
    for (const name of ['serve', 'new', 'login', 'logout', 'passwd', 'sql', 'push', 'pull', 'export', 'import', 'users', 'logs', 'events']) assert.match(bare.stdout, new RegExp(`\\n  ${name} `));
    assert.match(bare.stdout, /Exit codes: 0 done; 1 .*; 2 .*\n3 .*; 4 the server cannot be reached/);
    const helps = await Promise.all(['serve', 'new', 'login', 'sql', 'push', 'users'].map((name) => cli.ok([name, '--help'])));
    for (const [i, name] of ['serve', 'new', 'login', 'sql', 'push', 'users'].entries()) assert.match(helps[i].stdout, new RegExp(`^Usage: wce ${name}`));
  });

  test('mistakes exit 2 and say what to do', async () => {
    const [unknown, option, missing] = await Promise.all([cli.run(['deploy']), cli.run(['sql', '--nope', 'SELECT 1']), cli.run(['push'])]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no command "deploy"\. The commands: serve, new/);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /wce sql: Unknown option '--nope'\nSee: wce sql --help/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing DIR/);
  });

  test('npx wce runs this checkout (the bin of package.json), with the Node npm install brought', async (t) => {
    const npx = spawnSync('npx', ['--no', '--', 'wce', '--version'], { cwd: path.resolve(import.meta.dirname, '../..'), encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    if (npx.error) return t.skip('no npx on this machine');
    assert.equal(npx.status, 0, npx.stderr);
    assert.equal(npx.stdout.trim(), JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version);
  });

  test('a server that is not there exits 4, naming it and how to start one', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const run = await cli.run(['sql', 'SELECT 1', '--cenv', 'x'], { env: { WCE_SERVER: `http://127.0.0.1:${port}` } });
    assert.equal(run.code, 4);
    assert.match(run.stderr, new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. Is the server running\\? Start one with "wce serve"`));
  });
});

describe('a session', () => {
  test('new creates the cenv and logs in; the token is kept 0600 in XDG_CONFIG_HOME/wce, per server and cenv', async () => {
    const run = await cli.newCenv('shop');
    assert.match(run.stdout, /^Created shop at http:\/\/127\.0\.0\.1:\d+\/shop\/ \(id [0-9a-f-]{36}\)/);
    assert.match(run.stderr, /Logged in to shop as ada/);
    const file = path.join(cli.home, '.config', 'wce', 'credentials.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(saved.current, { server: server.url, cenv: 'shop' });
    assert.match(saved.servers[server.url].cenvs.shop.token, /^eyJ/);
  });

  test('sql: JSON when piped, a table when asked; a batch from a file is atomic; errors exit 1 with the line', async () => {
    const created = await cli.ok(['sql', 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price REAL)']);
    assert.equal(JSON.parse(created.stdout).changes, 0);
    const file = path.join(cli.home, 'seed.sql');
    writeFileSync(file, "INSERT INTO items (name, price) VALUES ('tea', 3.5);\n-- a comment; with a semicolon\nINSERT INTO items (name) VALUES ('cup;saucer');\n");
    const batch = JSON.parse((await cli.ok(['sql', '-f', file])).stdout);
    assert.equal(batch.results.length, 2);
    const json = JSON.parse((await cli.ok(['sql', 'SELECT name, price FROM items WHERE price > ? ORDER BY id', '-p', '1'])).stdout);
    assert.deepEqual(json.rows, [['tea', 3.5]]);
    const shown = await cli.ok(['sql', '--table', 'SELECT id, name, price FROM items ORDER BY id']);
    assert.equal(shown.stdout, 'id  name        price\n──  ──────────  ─────\n1   tea         3.5\n2   cup;saucer  NULL\n');
    assert.match(shown.stderr, /\(2 rows\)/);
    writeFileSync(file, "INSERT INTO items (name) VALUES ('pot');\nINSERT INTO items (name) VALUES ('tea');\n");
    const failed = await cli.run(['sql', '-f', file]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /wce sql: statements\[1\]: .*UNIQUE.* \[409 WCE_ERR_CONFLICT\]/);
    const count = JSON.parse((await cli.ok(['sql', "SELECT count(*) FROM items WHERE name = 'pot'"])).stdout);
    assert.deepEqual(count.rows, [[0]], 'the batch was rolled back');
    const syntax = await cli.run(['sql', 'SELEC 1']);
    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, /near "SELEC": syntax error.*line 1.*\[400 WCE_ERR_SQL_SYNTAX\]/);
  });

  test('users: add, list, change, run SQL as one, end their sessions', async () => {
    assert.match((await cli.ok(['users', 'add', 'bob', '--password-stdin'], { input: 'hunter2hunter2\n' })).stdout, /^Added bob \(user\), id /);
    const list = JSON.parse((await cli.ok(['users', 'list'])).stdout);
    assert.deepEqual(list.map((u: { username: string; role: string }) => [u.username, u.role]), [['ada', 'owner'], ['bob', 'user']]);
    const asBob = await cli.run(['sql', '--as', 'bob', 'SELECT count(*) FROM items']);
    assert.equal(asBob.code, 1, 'bob has no grant on items');
    assert.match(asBob.stderr, /\[403 WCE_ERR_FORBIDDEN\]/);
    assert.match((await cli.ok(['users', 'set', 'bob', '--role', 'admin'])).stdout, /^bob: admin, enabled/);
    const table = await cli.ok(['users', 'list', '--table']);
    assert.match(table.stdout, /^username +role +enabled/);
    const bad = await cli.run(['users', 'set', 'bob', '--role', 'owner']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--role must be user or admin/);
    assert.match((await cli.ok(['users', 'logout', 'bob'])).stdout, /^Ended 0 sessions of bob/);
  });

  test('passwd: your own password, the current one first; this login goes on, the new password works', async () => {
    const other = await cli.run(['login', 'shop', '--username', 'ada', '--password-stdin'], { input: 'correct horse battery\n', env: { XDG_CONFIG_HOME: `${cli.home}/elsewhere` } });
    assert.equal(other.code, 0, 'a second session, kept elsewhere');
    const wrong = await cli.run(['passwd', '--password-stdin'], { input: 'not my password\na brand new password\n' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /current_password is not your current password \[400 WCE_ERR_VALIDATION\]/);
    const short = await cli.run(['passwd', '--password-stdin'], { input: 'correct horse battery\nshort\n' });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 8 characters/);
    const oneLine = await cli.run(['passwd', '--password-stdin'], { input: 'correct horse battery\n' });
    assert.equal(oneLine.code, 2);
    assert.match(oneLine.stderr, /standard input needs 2 lines \(current password, then new password\)/);

    const changed = await cli.ok(['passwd', '--password-stdin'], { input: 'correct horse battery\na brand new password\n' });
    assert.equal(changed.stdout, 'Password changed on shop.\n');
    assert.match(changed.stderr, /1 other session ended\./);
    assert.equal((await cli.run(['users', 'list'])).code, 0, 'this login goes on');
    const elsewhere = await cli.run(['users', 'list'], { env: { XDG_CONFIG_HOME: `${cli.home}/elsewhere` } });
    assert.equal(elsewhere.code, 3, 'the other session ended');
    const relogin = await cli.run(['login', 'shop', '--username', 'ada', '--password-stdin'], { input: 'a brand new password\n', env: { XDG_CONFIG_HOME: `${cli.home}/elsewhere` } });
    assert.equal(relogin.code, 0, relogin.stderr);
    await cli.ok(['passwd', '--password-stdin'], { input: 'a brand new password\ncorrect horse battery\n' });
  });

  test('login keeps a second cenv beside the first; logout forgets it; then commands say to log in (exit 3)', async () => {
    await cli.newCenv('other', 'eve', 'another good password');
    const first = await cli.ok(['sql', '--cenv', 'shop', "SELECT count(*) FROM items"]);
    assert.deepEqual(JSON.parse(first.stdout).rows, [[2]], 'the token of shop is still there');
    const again = await cli.ok(['login', 'shop', '--username', 'ada'], { env: { WCE_PASSWORD: 'correct horse battery' } });
    assert.match(again.stdout, /^Logged in to shop as ada \(owner\) until /);
    assert.match((await cli.ok(['logout'])).stdout, /^Logged out of shop\./);
    const denied = await cli.run(['users', 'list']);
    assert.equal(denied.code, 3);
    assert.match(denied.stderr, /log in first: this needs a session \[401 WCE_ERR_UNAUTHORIZED\]\nLog in: wce login shop --username NAME/);
    const wrong = await cli.run(['login', 'shop', '--username', 'ada', '--password-stdin'], { input: 'not the password\n' });
    assert.equal(wrong.code, 3);
    const noPassword = await cli.run(['login', 'shop', '--username', 'ada']);
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.stderr, /a password is needed: pipe it with --password-stdin, or set WCE_PASSWORD/);
  });
});

describe('wce cluster status', () => {
  test('asks a node for GET /cluster with WCE_METRICS_TOKEN and prints the table, or the JSON', async () => {
    const status = {
      node: 'node-a', cenvs: { total: 2, owned: 1, unowned: 1 },
      nodes: [{ id: 'node-a', label: 'a1b2c3', url: 'http://10.0.0.11:5309', self: true, reachable: true, draining: false, litestream_processes: 1, max_lag_ms: 12,
        cenvs: [{ id: '0b5e…', name: 'blog', token: '7', state: 'open', lag_ms: 12 }] }],
    };
    const seen: string[] = [];
    const node = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status));
    });
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
    try {
      const [text, json] = await Promise.all([
        cli.ok(['cluster', 'status', url], { env: { WCE_METRICS_TOKEN: 'operator-secret' } }),
        cli.ok(['cluster', 'status', '--server', url, '--json']),
      ]);
      assert.match(text.stdout, /^cluster seen from node-a: 1 nodes, 2 cenvs \(1 open, 1 closed/);
      assert.deepEqual(JSON.parse(json.stdout), status);
      assert.ok(seen.includes('GET /cluster Bearer operator-secret'), seen.join('\n'));
      const wrong = await cli.run(['cluster', 'nodes']);
      assert.equal(wrong.code, 2);
    } finally {
      node.close();
    }
  });
});
