/**
 * The cluster's own HTTP routes:
 *
 * - `GET /cluster`: nodes, the cenvs each owns with their fencing tokens, replication lag
 *   (status.ts). Operator only (bearer WCE_METRICS_TOKEN, else loopback).
 * - `POST /cluster/drain` (planned handoff of every cenv of this node, which then takes no
 *   new ones; `?cenv={id}` hands back just that cenv) and `POST /cluster/resume`. Operator only.
 * - `GET /_cluster/local`: this node's own figures, for `GET /cluster` on another node.
 *   Only for node-to-node requests (a verified `x-wce-hop`).
 *
 * @example app.register(clusterRoutes(parts))
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { isUuid } from '../cenv/ids.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { requireOperator } from '../server/operator-access.ts';
import { HOP_HEADER, signHop, type Hop, type HopKey } from './hop.ts';
import { clusterStatus, type LocalStatus } from './status.ts';
import type { ClusterView } from './view.ts';

export interface ClusterRouteParts {
  nodeId: string;
  hopKey: HopKey;
  view: ClusterView;
  local(): LocalStatus;
  hopOf(request: FastifyRequest): Hop | undefined;
  drain(): Promise<void>;
  resume(): Promise<void>;
  release(cenvId: string): Promise<void>;
}

const DrainQuery = Type.Object({ cenv: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });

async function askNode(parts: ClusterRouteParts, request: FastifyRequest, url: string): Promise<LocalStatus | null> {
  const path = '/_cluster/local';
  const hop = signHop(parts.hopKey, 'GET', path, { node: parts.nodeId, ip: request.ip, proto: 'http', host: request.host });
  try {
    const response = await fetch(`${url}${path}`, { headers: { [HOP_HEADER]: hop }, signal: AbortSignal.timeout(2000) });
    return response.ok ? (await response.json()) as LocalStatus : null;
  } catch {
    return null;
  }
}

export function clusterRoutes(parts: ClusterRouteParts): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    app.get('/cluster', async (request) => {
      requireOperator(request, app.deps.config.metricsToken, 'GET /cluster');
      return clusterStatus(parts.view, parts.nodeId, parts.local(), (url) => askNode(parts, request, url));
    });

    app.post<{ Querystring: Static<typeof DrainQuery> }>('/cluster/drain', { schema: { querystring: DrainQuery } }, async (request) => {
      requireOperator(request, app.deps.config.metricsToken, 'POST /cluster/drain');
      const cenv = request.query.cenv;
      if (cenv !== undefined) {
        if (!isUuid(cenv)) throw new ValidationError('cenv must be a cenv id (UUID)');
        await parts.release(cenv.toLowerCase());
        return { released: cenv.toLowerCase() };
      }
      await parts.drain();
      return { draining: true };
    });

    app.post('/cluster/resume', async (request) => {
      requireOperator(request, app.deps.config.metricsToken, 'POST /cluster/resume');
      await parts.resume();
      return { draining: false };
    });

    app.get('/_cluster/local', async (request) => {
      if (!parts.hopOf(request)) throw new ForbiddenError('node-to-node route');
      return parts.local();
    });
  };
}
