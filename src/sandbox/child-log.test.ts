/** A child's log lines reach the main process's logger with the request id, cenv and op of their job. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SandboxPool } from './pool.ts';
import { serverSettings } from '../cenv/settings.ts';
import { ANONYMOUS } from '../auth/principal.ts';
import { tempDir } from '../../test/helpers/server.ts';

test('child log lines carry the request id: ctx.log and an internal fault', async () => {
  const lines: Array<{ level: string; details: Record<string, unknown>; message: string }> = [];
  const record = (level: string) => (details: object, message: string) => lines.push({ level, details: details as Record<string, unknown>, message });
  const pool = new SandboxPool({
    dataDir: tempDir(), server: serverSettings({}), size: 1,
    childFile: path.resolve(import.meta.dirname, '../../test/helpers/log-child.ts'),
    logger: { error: record('error'), warn: record('warn'), info: record('info') },
  });
  const job = (op: 'sql' | 'endpoint', requestId: string) => pool.run({
    op, cenvId: '00000000-0000-4000-8000-000000000001', principal: ANONYMOUS, payload: {} as never,
    context: { ip: '127.0.0.1', userAgent: null, requestId }, timeoutMs: 5000, ipKey: null, caps: { perCenv: 10, perIp: 10 },
  });
  try {
    await job('sql', 'req-logged');
    await assert.rejects(job('endpoint', 'req-failed'), (e: Error & { statusCode?: number }) => e.statusCode === 500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const hello = lines.find((l) => l.message === 'hello from the child')!;
    assert.equal(hello.level, 'warn');
    assert.deepEqual([hello.details.reqId, hello.details.op, hello.details.answer], ['req-logged', 'sql', 42]);
    const fault = lines.find((l) => l.message === 'sandbox op failed')!;
    assert.equal(fault.level, 'error');
    assert.equal(fault.details.reqId, 'req-failed');
    assert.match(String((fault.details.err as { stack: string }).stack), /boom in the child/);
  } finally {
    await pool.close();
  }
});
