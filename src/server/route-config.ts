/**
 * A request's route config (`config` of its route: access, kind, cors…), read once.
 * Fastify's `request.routeOptions` builds a fresh object on every read, and a cenv request
 * reads the config in four places (headers, cenv scope, rate limits, errors).
 *
 * @example if (routeConfig(request).access === 'none') …
 */
import type { FastifyRequest } from 'fastify';
import type { WceRouteConfig } from './types.ts';

const NONE: WceRouteConfig = Object.freeze({});

export function routeConfig(request: FastifyRequest): WceRouteConfig {
  // Unmatched requests (404s) have no config of their own.
  return (request.routeConfig ??= request.routeOptions.config ?? NONE);
}
