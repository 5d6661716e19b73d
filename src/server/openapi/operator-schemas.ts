/**
 * Response schemas of the operator's routes (cluster status and handoff), which the operator
 * calls with WCE_METRICS_TOKEN rather than a cenv session. Same rules as schemas.ts: they
 * describe, never filter.
 *
 * @example app.get('/cluster', { schema: { ...OPERATOR, summary: '…', response: { 200: ClusterStatus } } }, …)
 */
import { Type } from '@sinclair/typebox';
import { Nullable } from './schemas.ts';

/** Route options of an operator route: its security scheme and the refusals it may answer with. */
export const OPERATOR = { security: [{ operator: [] }], errors: ['WCE_ERR_UNAUTHORIZED', 'WCE_ERR_FORBIDDEN'] } as const;

const CenvFigures = Type.Object({ id: Type.String(), token: Nullable(Type.String()), state: Type.String(), lag_ms: Type.Number(), inflight: Type.Integer() });

export const LocalStatus = Type.Object({
  node: Type.String(),
  draining: Type.Boolean(),
  lease_remaining_ms: Type.Number(),
  litestream_processes: Type.Integer(),
  forwarded: Type.Integer(),
  forward_failures: Type.Integer(),
  cenvs: Type.Array(CenvFigures),
}, { description: "this node's own figures" });

export const ClusterStatus = Type.Object({
  node: Type.String({ description: 'the node that answered' }),
  nodes: Type.Array(Type.Object({
    id: Type.String(), label: Type.String(), url: Type.String(), self: Type.Boolean(), reachable: Type.Boolean(), draining: Type.Boolean(),
    litestream_processes: Nullable(Type.Integer()), max_lag_ms: Nullable(Type.Number()),
    cenvs: Type.Array(Type.Object({ id: Type.String(), name: Nullable(Type.String()), token: Type.String(), state: Nullable(Type.String()), lag_ms: Nullable(Type.Number()) })),
  })),
  cenvs: Type.Object({ total: Type.Integer(), owned: Type.Integer(), unowned: Type.Integer() }),
}, { description: 'every node, the cenvs it owns with their fencing tokens, replication lag' });

export const Drained = Type.Union([
  Type.Object({ released: Type.String({ description: 'the cenv handed back' }) }),
  Type.Object({ draining: Type.Literal(true) }),
], { description: 'the cenv was handed back, or every cenv of this node' });
export const Resumed = Type.Object({ draining: Type.Literal(false) }, { description: 'the node takes cenvs again' });
