/**
 * Per-minute rate limits, counted in the shared counter store (src/tools/counter-store.ts)
 * that the login throttle and the cenv-creation limit use too:
 *
 * - `rate_limit_cenv_per_min`: every request to one cenv, whoever sends it;
 * - `rate_limit_ip_per_min`: requests to one cenv from one address without a session (an
 *   IPv6 address counts by its /64), including ones whose credentials were refused;
 * - `rate_limit_user_per_min`: requests of one signed-in user of the cenv, from anywhere.
 *
 * Routes outside a cenv (`POST /new`, the landing page, unknown paths) count per address
 * under the server's `WCE_RATE_LIMIT_IP_PER_MIN`. Exempt: routes with `config.rateLimit:
 * false` (health probes, /metrics, CORS preflights) and `/static/…`. 0 turns a limit off.
 *
 * Every limited answer carries `RateLimit-Limit`, `-Remaining`, `-Reset` (seconds) and
 * `-Policy` for the tightest limit; a refusal is a 429 in the error shape with `Retry-After`
 * and the limit's setting named in the message and details.
 *
 * Why not @fastify/rate-limit: one request is counted under two or three keys whose maxima
 * come from the cenv's settings, known only once the cenv scope has resolved the caller; the
 * login throttle needs refunds, which the plugin's store has no call for; and with every
 * limit off (benchmarks) nothing here runs at all.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError, withDetails } from '../../errors.ts';
import type { Settings } from '../../cenv/settings.ts';
import type { LimitKind, Metrics } from '../../metrics/metrics.ts';
import type { CounterStore } from '../../tools/counter-store.ts';
import { addressKey } from '../../tools/ip-key.ts';
import { KeyedLimiter, type Verdict } from '../../tools/keyed-limiter.ts';
import type { Caller } from '../types.ts';
import { routeConfig } from '../route-config.ts';

type Kind = 'ip' | 'user' | 'cenv';

interface Check { kind: Kind; key: string; max: number; name: string }

const WHO: Record<Kind, string> = {
  ip: 'too many requests from this address',
  user: 'too many requests from this user',
  cenv: 'too many requests to this cenv',
};

export class RateLimits {
  private readonly limiters: Record<Kind, KeyedLimiter>;
  private readonly windowMs: number;
  private readonly metrics: Metrics;

  /** @example new RateLimits(new MemoryCounterStore(), 60_000, metrics) */
  constructor(store: CounterStore, windowMs: number, metrics: Metrics) {
    this.windowMs = windowMs;
    this.metrics = metrics;
    this.limiters = {
      ip: new KeyedLimiter(store, 'rate-ip', { max: 0, windowMs }),
      user: new KeyedLimiter(store, 'rate-user', { max: 0, windowMs }),
      cenv: new KeyedLimiter(store, 'rate-cenv', { max: 0, windowMs }),
    };
  }

  /**
   * Counts a cenv request under its keys; throws the 429 when one is spent. `signedIn` false
   * counts the address (anonymous callers, and credentials that were refused). Returns a
   * promise only when a limit applies.
   * @example await deps.rateLimits.cenvRequest(request, reply, caller, caller.principal.userId !== null)
   */
  cenvRequest(request: FastifyRequest, reply: FastifyReply, caller: Pick<Caller, 'cenv' | 'ip' | 'settings' | 'principal'>, signedIn: boolean): Promise<void> | undefined {
    // Synchronous when nothing applies: with every limit off (benchmarks) this costs no promise.
    const { cenv, settings } = caller;
    const own = signedIn ? settings.rate_limit_user_per_min : settings.rate_limit_ip_per_min;
    if ((settings.rate_limit_cenv_per_min === 0 && own === 0) || routeConfig(request).rateLimit === false) return undefined;
    const checks: Check[] = [];
    push(checks, 'cenv', cenv.id, settings, 'rate_limit_cenv_per_min');
    if (signedIn) push(checks, 'user', `${cenv.id} ${caller.principal.userId}`, settings, 'rate_limit_user_per_min');
    else push(checks, 'ip', `${cenv.id} ${addressKey(caller.ip)}`, settings, 'rate_limit_ip_per_min');
    return checks.length > 0 ? this.apply(reply, checks) : undefined;
  }

  /**
   * Counts a request to a route outside every cenv by its address, under the server's limit.
   * @example app.addHook('onRequest', (request, reply) => deps.rateLimits.serverRequest(request, reply, max))
   */
  async serverRequest(request: FastifyRequest, reply: FastifyReply, max: number): Promise<void> {
    if (max === 0 || routeConfig(request).rateLimit === false || request.url.startsWith('/static/')) return;
    await this.apply(reply, [{ kind: 'ip', key: `- ${addressKey(request.ip)}`, max, name: 'WCE_RATE_LIMIT_IP_PER_MIN' }]);
  }

  private async apply(reply: FastifyReply, checks: Check[]): Promise<void> {
    const taken: Array<[Check, Verdict]> = [];
    for (const check of checks) {
      const verdict = await this.limiters[check.kind].take(check.key, check.max);
      if (!verdict.ok) {
        // The request does not happen, so the slots it took under the other keys go back.
        for (const [done] of taken) await this.limiters[done.kind].refund(done.key);
        this.refuse(reply, check, verdict);
      }
      taken.push([check, verdict]);
    }
    let tightest = taken[0];
    for (const entry of taken) if (entry[1].remaining < tightest[1].remaining) tightest = entry;
    this.headers(reply, tightest[1]);
  }

  private refuse(reply: FastifyReply, check: Check, verdict: Verdict): never {
    this.metrics.rateLimited(check.kind as LimitKind);
    this.headers(reply, verdict);
    reply.header('retry-after', String(verdict.resetSeconds));
    const per = this.windowMs === 60_000 ? 'a minute' : `per ${this.windowMs} ms`;
    throw withDetails(
      new RateLimitedError(`${WHO[check.kind]}: at most ${check.max} ${per} (${check.name}); retry in ${verdict.resetSeconds} s`),
      { limit: check.name, max: check.max, retry_after: verdict.resetSeconds },
    );
  }

  private headers(reply: FastifyReply, verdict: Verdict): void {
    reply.header('ratelimit-limit', String(verdict.limit));
    reply.header('ratelimit-remaining', String(verdict.remaining));
    reply.header('ratelimit-reset', String(verdict.resetSeconds));
    reply.header('ratelimit-policy', `${verdict.limit};w=${Math.max(1, Math.round(this.windowMs / 1000))}`);
  }
}

function push(checks: Check[], kind: Kind, key: string, settings: Settings, name: keyof Settings): void {
  const max = settings[name] as number;
  if (max > 0) checks.push({ kind, key, max, name });
}
