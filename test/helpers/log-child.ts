/**
 * A sandbox child for tests of its logging: `sql` writes a line through `ctx.log` and
 * answers; `endpoint` fails with a plain error (an internal fault the runtime logs). Neither
 * opens a cenv.
 */
import { serveChild } from '../../src/sandbox/child-runtime.ts';
import type { OpHandlers } from '../../src/sandbox/handlers.ts';

const empty = { writes: [], reads: [] };
const HANDLERS: OpHandlers = {
  sql: { opensCenv: false, run(ctx) { ctx.log('warn', 'hello from the child', { answer: 42 }); return { status: 200, body: '{}', effects: empty }; } },
  endpoint: { opensCenv: false, run() { throw new Error('boom in the child'); } },
  render: { run() { throw new Error('not here'); } },
  inspect: { run() { throw new Error('not here'); } },
  explain: { run() { throw new Error('not here'); } },
  policyPreview: { run() { throw new Error('not here'); } },
  eventRows: { run() { throw new Error('not here'); } },
  eventSnapshot: { run() { throw new Error('not here'); } },
};

serveChild(HANDLERS, () => { throw new Error('no cenv is opened by these ops'); });
