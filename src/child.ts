/**
 * Entry point of a sandbox child process (started by src/sandbox/spawn.ts): the table of
 * every op a child can run, each handler from its own feature, served by the child runtime
 * with the access guard on every tenant connection. Like main.ts, this is a composition
 * root: the one place that imports every feature.
 */
import { AccessGuard } from './access/guard.ts';
import { serveChild } from './sandbox/child-runtime.ts';
import type { OpHandlers } from './sandbox/handlers.ts';
import { sqlHandler } from './sandbox/sql-op.ts';
import { explainHandler, policyPreviewHandler } from './access/debugger-ops.ts';
import { eventRowsHandler, eventSnapshotHandler } from './events/read-ops.ts';
import { endpointHandler } from './endpoints/handler.ts';
import { renderHandler } from './pages/render-op.ts';
import { inspectHandler } from './sandbox/inspect-op.ts';

const HANDLERS: OpHandlers = {
  sql: sqlHandler,
  endpoint: endpointHandler,
  render: renderHandler,
  explain: explainHandler,
  policyPreview: policyPreviewHandler,
  eventRows: eventRowsHandler,
  eventSnapshot: eventSnapshotHandler,
  inspect: inspectHandler,
};

serveChild(HANDLERS, (db, dataVersion) => new AccessGuard(db, { dataVersion }));
