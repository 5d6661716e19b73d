/**
 * Issue 12, item 10: WCE_LOG_FILE receives the JSON lines as well as standard output (mode
 * 0600), and SIGHUP reopens it by name, so logrotate can move it away. A child's log line
 * carrying its request id is src/sandbox/child-log.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnServer, request, tempDir } from '../helpers/server.ts';

async function until(check: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 10_000; await sleep(50)) if (check()) return;
  assert.fail(`timed out waiting for ${what}`);
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

test('WCE_LOG_FILE gets every line too, and SIGHUP reopens it after a rotation', async () => {
  const dir = tempDir('wce-logs-');
  const file = path.join(dir, 'logs', 'wce.log');
  const server = await spawnServer({ WCE_LOG_FILE: file });
  try {
    const first = await request(`${server.url}/health`);
    const id = first.headers.get('x-request-id');
    await until(() => lines(file).some((l) => l.reqId === id && l.msg === 'request'), 'the request line in the file');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    await until(() => server.output().includes(`"reqId":"${id}"`), 'the same line on standard output');
    renameSync(file, `${file}.1`);
    server.child.kill('SIGHUP');
    await until(() => lines(file).some((l) => l.msg === 'log file reopened'), 'a new file after SIGHUP');
    const second = await request(`${server.url}/health`);
    const id2 = second.headers.get('x-request-id');
    await until(() => lines(file).some((l) => l.reqId === id2), 'the next request line in the new file');
    assert.ok(!lines(`${file}.1`).some((l) => l.reqId === id2), 'nothing new goes to the rotated file');
    assert.ok(lines(`${file}.1`).some((l) => l.reqId === id));
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});
