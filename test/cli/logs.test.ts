/**
 * `wce logs` against a real server: the endpoints' latest runs oldest first, with what the
 * script printed and its error; one endpoint by "METHOD /path", "/path" or id; JSON lines
 * when piped; `--follow` prints runs as they come.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request, type TestServer } from '../helpers/server.ts';
import { closeCliServer, startCliServer, type Cli } from '../helpers/cli.ts';

let server: TestServer;
let cli: Cli;

before(async () => {
  ({ server, cli } = await startCliServer());
  await cli.newCenv('shop');
  const dir = path.join(cli.home, 'project');
  mkdirSync(path.join(dir, 'endpoints'), { recursive: true });
  writeFileSync(path.join(dir, 'endpoints/hello.star'), '# wce: GET /hello/:name access=public\ndef handle(req):\n    print("greeting", req.params["name"])\n    return {"hello": req.params["name"]}\n');
  writeFileSync(path.join(dir, 'endpoints/broken.star'), '# wce: POST /broken access=public\ndef handle(req):\n    return 1 // 0\n');
  await cli.ok(['push', dir]);
  assert.equal((await request(`${server.url}/shop/api/hello/ada`)).status, 200);
  assert.equal((await request(`${server.url}/shop/api/broken`, { method: 'POST', body: {} })).status, 500);
  assert.equal((await request(`${server.url}/shop/api/hello/bob`)).status, 200);
});
after(() => closeCliServer(server, cli));

test('every endpoint, oldest first, with print output and the error; one endpoint by name or id', async () => {
  const text = (await cli.ok(['logs', '--text'])).stdout;
  const heads = text.split('\n').filter((line) => /^\d{4}-/.test(line)).map((line) => line.split(/\s{2}/).slice(1, 3).join(' '));
  assert.deepEqual(heads, ['GET /hello/ada 200', 'POST /broken 500', 'GET /hello/bob 200']);
  assert.match(text, /GET \/hello\/ada {2}200 {2}\d+\.\d ms {2}anonymous\n {2}\| greeting ada\n/);
  assert.match(text, /POST \/broken {2}500 .*\n {2}! WCE_ERR_SCRIPT: .*division by zero/);

  const json = (await cli.ok(['logs', 'GET /hello/:name'])).stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(json.map((run) => [run.path, run.logs]), [['/hello/ada', ['greeting ada']], ['/hello/bob', ['greeting bob']]]);
  assert.equal((await cli.ok(['logs', '/broken'])).stdout.trim().split('\n').length, 1);
  assert.equal((await cli.ok(['logs', '-n', '1'])).stdout.trim().split('\n').length, 1, '-n keeps the newest');
  const unknown = await cli.run(['logs', 'GET /nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no endpoint "GET \/nope" \(this cenv has: POST \/broken, GET \/hello\/:name\)/);
  assert.equal((await cli.run(['logs', '-n', '0'])).code, 2);
});

test('--follow prints new runs as they come', async () => {
  const watch = cli.watch(['logs', '--follow', '--text', '-n', '1']);
  try {
    await watch.until(/GET \/hello\/bob/);
    assert.equal((await request(`${server.url}/shop/api/hello/carol`)).status, 200);
    await watch.until(/GET \/hello\/carol {2}200/);
    assert.doesNotMatch(watch.output(), /hello\/ada/, 'only the newest run at the start (-n 1), then new ones');
  } finally {
    watch.child.kill();
  }
});
