/**
 * Adding a hook to one route from an `onRoute` hook, after the hooks the route declared
 * itself. A hook that only some routes need costs the others nothing this way: Fastify skips
 * a lifecycle stage that a route has no hooks for.
 *
 * @example app.addHook('onRoute', (route) => { if (route.config?.kind === 'tenant') addRouteHook(route, 'onSend', restore); })
 */
import type { RouteOptions } from 'fastify';

type HookName = 'preParsing' | 'onSend' | 'onResponse';
/** One hook of that stage (a route declares one or an array). */
type HookOf<K extends HookName> = Exclude<NonNullable<RouteOptions[K]>, unknown[]>;

export function addRouteHook<K extends HookName>(route: RouteOptions, name: K, hook: HookOf<K>): void {
  const declared = route[name] as unknown;
  (route as unknown as Record<HookName, unknown[]>)[name] = [...(declared === undefined ? [] : [declared].flat()), hook];
}
