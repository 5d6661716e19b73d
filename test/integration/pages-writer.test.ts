/**
 * A writer never waits for page renders: with 100 cached pages depending on a table, the
 * write's reply is fully sent before the first of the 100 re-renders is even queued, and
 * all 100 pages then show the new data. Proven by the order of events on the server (the
 * reply's `onResponse` against each render job's dispatch), not by a timing threshold;
 * the latencies are printed as diagnostics only (speed goals live in bench/pages).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { PageWorld } from '../helpers/pages.ts';

const PAGES = 100;
let w: PageWorld;
/** When each POST /sql reply had been sent, in order. */
const replies: number[] = [];
/** When each render job was handed to the sandbox. */
const renders: number[] = [];

before(async () => {
  w = await PageWorld.start({
    extend: (app) => {
      app.addHook('onResponse', async (request) => {
        if (request.method === 'POST' && request.url.endsWith('/sql')) replies.push(performance.now());
      });
    },
  });
  const sandbox = w.server.deps.sandbox;
  const run = sandbox.run.bind(sandbox);
  sandbox.run = ((job) => {
    if (job.op === 'render') renders.push(performance.now());
    return run(job);
  }) as typeof sandbox.run;
  await w.sql('CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
  await w.sql('CREATE TABLE other (x INTEGER)');
  await w.sql(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${PAGES}) INSERT INTO items SELECT i, 0 FROM c`);
  await w.grant('items');
  await w.template({ path: 'items/:id', source: 'n={{ item.n }}', queries: { item: { sql: 'SELECT n FROM items WHERE id = :id', first: true, required: true } } });
  for (let i = 1; i <= PAGES; i++) assert.equal((await w.page(`items/${i}`)).text, 'n=0');
});
after(() => w.close());

async function timedWrite(sql: string): Promise<number> {
  const started = performance.now();
  await w.sql(sql);
  return performance.now() - started;
}

test(`the writer's reply is sent before any of ${PAGES} dependent re-renders starts, and all of them refresh`, async (t) => {
  const unrelated = await timedWrite('INSERT INTO other VALUES (1)');
  await w.settled();
  renders.length = 0;
  replies.length = 0;
  const dependent = await timedWrite('UPDATE items SET n = n + 1');
  const sentAt = replies[0];
  await w.eventually(`${PAGES} re-renders`, async () => renders.length >= PAGES);
  assert.ok(renders.every((at) => at > sentAt), 'every re-render was queued after the write reply had been sent');
  for (let i = 1; i <= PAGES; i++) assert.equal((await w.page(`items/${i}`)).text, 'n=1', `items/${i}`);
  await w.settled();
  assert.equal(renders.length, PAGES, 'one re-render per dependent page');
  t.diagnostic(`write latency: ${unrelated.toFixed(1)} ms with no dependent page, ${dependent.toFixed(1)} ms with ${PAGES}`);
});
