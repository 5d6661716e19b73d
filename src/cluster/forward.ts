/**
 * The streaming proxy between nodes. A request for a cenv this node does not own goes to
 * the owner as it arrived: body streamed (never buffered, so the owner's body limit and
 * timeouts apply), reply streamed back (server-sent events keep flowing), over keep-alive
 * connections. The client's headers go along (Authorization, cookies and CSRF token are
 * checked by the owner), minus hop-by-hop headers and any `x-wce-hop` the client sent; ours
 * (hop.ts) tells the owner the client's address, scheme and host.
 *
 * When the owner cannot be reached (connection refused, no connection within 3 s) or leaves
 * the cluster before it answers, the client gets 503 with Retry-After: another node takes
 * the cenv over once the owner's lease has expired.
 *
 * @example forwarder.forward(request, reply, { node: 'n2', url: 'http://10.0.0.6:5309' });
 */
import http from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HOP_HEADER, signHop, type HopKey } from './hop.ts';
import { HEADERS_BY_KIND } from '../server/plugins/headers.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', HOP_HEADER]);
/** An owner that accepted the connection but sends no headers for this long is given up on. */
const RESPONSE_HEADERS_TIMEOUT_MS = 120_000;
/** A node that does not accept a connection within this is treated as gone. */
const CONNECT_TIMEOUT_MS = 3000;

export interface ForwardTarget { node: string; url: string }

export interface ForwardStats { forwarded: number; failed: number }

function headersWithout(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((name) => name.trim()));
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) out[name] = value;
  }
  return out;
}

function errorReply(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string): void {
  const raw = reply.raw;
  if (raw.headersSent) {
    raw.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  raw.writeHead(status, {
    ...HEADERS_BY_KIND.api, 'x-request-id': request.id, 'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body), ...(status === 503 ? { 'retry-after': '2' } : {}),
  });
  raw.end(body);
}

export class Forwarder {
  readonly stats: ForwardStats = { forwarded: 0, failed: 0 };
  private readonly streams = new Set<http.ServerResponse>();
  /** Per target node: requests sent there that have no answer yet. */
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly lastWarned = new Map<string, number>();
  // Idle sockets are dropped before the owner's keep-alive timeout (5 s by default) would
  // close them under a request in flight.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 128, timeout: 4000 });
  private readonly key: HopKey;
  private readonly node: string;

  constructor(key: HopKey, node: string) {
    this.key = key;
    this.node = node;
  }

  /**
   * Hands `request` to `target` and streams its answer back; the reply is hijacked.
   * `closeAfter`: the client's connection closes after this answer (this node is draining).
   */
  forward(request: FastifyRequest, reply: FastifyReply, target: ForwardTarget, closeAfter = false): void {
    reply.hijack();
    this.stats.forwarded++;
    const started = performance.now();
    const url = new URL(target.url);
    const path = request.raw.url ?? request.url;
    const headers = headersWithout(request.headers);
    headers[HOP_HEADER] = signHop(this.key, request.method, path, { node: this.node, ip: request.ip, proto: request.protocol === 'https' ? 'https' : 'http', host: request.host });
    const upstream = http.request({ host: url.hostname, port: url.port || 80, method: request.method, path, headers, agent: this.agent });
    let answered = false;
    const giveUp = (status: number, code: string, message: string) => {
      if (answered) return;
      answered = true;
      upstream.destroy();
      this.fail(request, reply, target, status, code, message);
    };
    const headersTimer = setTimeout(() => giveUp(504, 'WCE_ERR_TIMEOUT', `the node that owns this cenv (${target.node}) did not answer within ${RESPONSE_HEADERS_TIMEOUT_MS / 1000} s`), RESPONSE_HEADERS_TIMEOUT_MS);
    // The owner left the cluster (its lease expired): it will not answer; another node takes over.
    const waiting = this.waiting.get(target.node) ?? new Set();
    this.waiting.set(target.node, waiting);
    const abandon = () => giveUp(503, 'WCE_ERR_UNAVAILABLE', `the node that owned this cenv (${target.node}) left the cluster; another node takes it over: retry`);
    waiting.add(abandon);
    const settled = () => {
      clearTimeout(headersTimer);
      waiting.delete(abandon);
    };
    upstream.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(() => giveUp(503, 'WCE_ERR_UNAVAILABLE', `the node that owns this cenv (${target.node}) cannot be reached; another node takes it over within seconds: retry`), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => clearTimeout(connectTimer));
      socket.once('close', () => clearTimeout(connectTimer));
    });
    upstream.on('response', (response) => {
      if (answered) return response.destroy();
      answered = true;
      settled();
      if (String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        this.streams.add(reply.raw);
        reply.raw.once('close', () => this.streams.delete(reply.raw));
      }
      const headers = headersWithout(response.headers);
      if (closeAfter) headers.connection = 'close';
      reply.raw.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
      response.pipe(reply.raw);
      // An owner that stops mid-answer (handoff, lease loss) closes the client's connection too.
      response.on('close', () => {
        if (!response.complete) reply.raw.destroy();
      });
      reply.raw.on('finish', () => {
        request.log.info({ method: request.method, url: request.url, status: response.statusCode, ip: request.ip, ms: Math.round((performance.now() - started) * 10) / 10, forwardedTo: target.node }, 'request');
      });
    });
    upstream.on('error', (error) => {
      settled();
      if (answered) {
        reply.raw.destroy();
        return;
      }
      // Every request for a dead node's cenvs fails the same way until its lease expires: log it once in a while.
      if (Date.now() - (this.lastWarned.get(target.node) ?? 0) > 5000) {
        this.lastWarned.set(target.node, Date.now());
        request.log.warn({ err: error, node: target.node }, 'cluster: cannot reach the owner of a cenv');
      }
      giveUp(503, 'WCE_ERR_UNAVAILABLE', `the node that owns this cenv (${target.node}) does not answer; another node takes it over within seconds: retry`);
    });
    // A client that goes away (or an event stream it closes) ends the upstream request too.
    reply.raw.on('close', () => {
      settled();
      if (!reply.raw.writableFinished) upstream.destroy();
    });
    request.raw.pipe(upstream);
  }

  /** Answers 503 to requests still waiting for `node`, which has left the cluster. */
  nodeLeft(node: string): void {
    for (const abandon of this.waiting.get(node) ?? []) abandon();
    this.waiting.delete(node);
  }

  /** Cuts forwarded event streams (they never end on their own; a stopping node must not wait for them). */
  closeStreams(): void {
    for (const stream of this.streams) stream.destroy();
  }

  close(): void {
    this.closeStreams();
    this.agent.destroy();
  }

  private fail(request: FastifyRequest, reply: FastifyReply, target: ForwardTarget, status: number, code: string, message: string): void {
    this.stats.failed++;
    errorReply(request, reply, status, code, message);
  }
}
