/**
 * Where each request is served, in cluster mode (the `ClusterHooks` of src/server/types.ts).
 *
 * - Every request: a verified `x-wce-hop` header (hop.ts) makes the client's address,
 *   scheme and host those the forwarding node saw; a forged one is refused (403).
 * - `POST /new` from a client: placed on the least loaded node (placement.ts) and forwarded
 *   there unless that is this node.
 * - `/{cenv}/…` (called by the cenv scope): served here when this node owns the cenv; else
 *   forwarded to the owner; an unowned cenv is claimed here (or, while this node drains,
 *   sent to another node to claim). A forwarded request is never forwarded again: the
 *   receiving node serves it, claims the cenv, or answers 503 (ownership is moving). HAProxy's
 *   hash is only a hint.
 * - Nothing is served without a lease this node is sure of; every locally computed answer
 *   is checked once more before it leaves (`confirm`), and carries `x-wce-served-by:
 *   {node label}@{fencing token}` (keys.ts `nodeLabel`: no private address in the answer).
 *
 * @example deps.cluster = new ClusterRouting(parts); // then buildApp calls install()
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CenvRecord } from '../cenv/registry.ts';
import { ForbiddenError, UnavailableError } from '../errors.ts';
import type { ClusterHooks, ClusterMetrics } from '../server/types.ts';
import type { ClusterConfig } from './config.ts';
import { nodeLabel } from './keys.ts';
import type { Forwarder, ForwardTarget } from './forward.ts';
import { HOP_HEADER, HopError, verifyHop, type Hop } from './hop.ts';
import type { Ownership } from './ownership.ts';
import type { Placement } from './placement.ts';
import type { NodeSession } from './session.ts';
import type { ClusterView } from './view.ts';

export const SERVED_BY_HEADER = 'x-wce-served-by';

export interface RoutingParts {
  config: ClusterConfig;
  session: NodeSession;
  view: ClusterView;
  ownership: Ownership;
  forwarder: Forwarder;
  placement: Placement;
  /** The cluster's own routes (/cluster, /_cluster/…), registered by install. */
  routes: (app: FastifyInstance) => Promise<void>;
  metrics: () => ClusterMetrics;
}

const MOVING = 'ownership of this cenv is moving between nodes; retry in a moment';

/** Makes the verified client of a forwarded request the request's client. */
function applyHop(request: FastifyRequest, hop: Hop): void {
  Object.defineProperty(request, 'ip', { value: hop.ip, configurable: true });
  Object.defineProperty(request, 'protocol', { value: hop.proto, configurable: true });
  Object.defineProperty(request, 'host', { value: hop.host, configurable: true });
}

export class ClusterRouting implements ClusterHooks {
  private readonly hops = new WeakMap<FastifyRequest, Hop>();
  private readonly parts: RoutingParts;
  private readonly label: string;

  constructor(parts: RoutingParts) {
    this.parts = parts;
    this.label = nodeLabel(parts.config.nodeId);
  }

  /** The verified hop of a request forwarded by another node, or undefined. */
  hopOf(request: FastifyRequest): Hop | undefined {
    return this.hops.get(request);
  }

  async install(app: FastifyInstance): Promise<void> {
    const { config } = this.parts;
    app.addHook('onRequest', (request, reply, done) => {
      // A draining node is about to stop: no connection should outlive the answer it carries.
      if (this.parts.session.isDraining()) reply.header('connection', 'close');
      const header = request.headers[HOP_HEADER];
      if (header !== undefined) {
        try {
          const hop = verifyHop(config.hopKey, request.method, request.raw.url ?? request.url, header);
          if (hop) {
            applyHop(request, hop);
            this.hops.set(request, hop);
          }
        } catch (error) {
          if (error instanceof HopError) return done(new ForbiddenError(`node-to-node request refused: ${error.message}`));
          return done(error as Error);
        }
      }
      if (request.method === 'POST' && request.routeOptions.url === '/new' && !this.hops.has(request)) {
        const target = this.parts.placement.choose();
        if (!target) return done(new UnavailableError('no node of the cluster takes new cenvs right now; retry'));
        this.parts.placement.placed(target.node);
        if (target.node !== config.nodeId) this.parts.forwarder.forward(request, reply, target, this.parts.session.isDraining());
      }
      done();
    });
    // Forwarded event streams never end on their own; a stopping server must not wait for them.
    app.addHook('preClose', (done) => {
      this.parts.forwarder.closeStreams();
      done();
    });
    await app.register(this.parts.routes);
  }

  metrics(): ClusterMetrics {
    return this.parts.metrics();
  }

  async route(cenv: CenvRecord, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const { session, view, ownership, config } = this.parts;
    const forwarded = this.hops.has(request);
    for (let attempt = 0; attempt < 4; attempt++) {
      if (!session.valid()) throw new UnavailableError('this node is not in contact with the cluster right now; retry');
      const entry = ownership.entries.get(cenv.id);
      if (entry?.state === 'serving') {
        ownership.admit(cenv.id, entry, request, reply);
        reply.header(SERVED_BY_HEADER, `${this.label}@${entry.token}`);
        return false;
      }
      if (entry) {
        await entry.done;
        continue;
      }
      const owner = view.owners.get(cenv.id);
      if (owner && owner.node !== config.nodeId) return this.forwardOnce(request, reply, owner, forwarded);
      if (session.isDraining()) {
        const target = this.parts.placement.choose(config.nodeId);
        if (!target) throw new UnavailableError('this node is draining and no other node takes cenvs; retry');
        return this.forwardOnce(request, reply, target, forwarded);
      }
      const other = await ownership.acquire(cenv.id);
      if (other && other !== 'retry') return this.forwardOnce(request, reply, other, forwarded);
    }
    throw new UnavailableError(MOVING);
  }

  confirm(request: FastifyRequest): void {
    if (!this.parts.ownership.stillOwns(request)) {
      throw new UnavailableError('this node lost its claim on the cenv before answering; whether the request took effect is not known: check, then retry');
    }
  }

  private forwardOnce(request: FastifyRequest, reply: FastifyReply, target: ForwardTarget, forwarded: boolean): true {
    if (forwarded) throw new UnavailableError(MOVING);
    this.parts.forwarder.forward(request, reply, target, this.parts.session.isDraining());
    return true;
  }
}
