/**
 * A cenv's own body limit (`body_limit_bytes`, at most `WCE_BODY_LIMIT_BYTES`). Fastify's
 * limit is fixed per route when the route is registered, so a cenv route's Fastify limit is
 * the setting's ceiling, and this hook holds each request to its cenv's value: a declared
 * length over it is refused before a byte of the body is read, a chunked body is counted as
 * it arrives. Either way the 413 names the setting.
 *
 * A route that receives files declares another setting (`config.bodyLimitSetting:
 * 'max_import_bytes'`); its Fastify limit is that setting's ceiling and it counts its own
 * upload (src/server/upload.ts), since multipart bodies are read past this hook.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyRequest, preParsingHookHandler, RequestPayload, RouteOptions } from 'fastify';
import { ceilingOf, type ServerSettings } from '../../cenv/settings.ts';
import { PayloadTooLargeError } from '../../errors.ts';
import { addRouteHook } from '../route-hooks.ts';

function tooLarge(max: number): Error {
  return new PayloadTooLargeError(`the request body is larger than this cenv accepts: ${max} bytes (body_limit_bytes)`);
}

/** Methods whose requests carry a body worth limiting. */
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Sets a cenv route's Fastify body limit to the ceiling of the setting that governs it, and
 * gives a route with a body under `body_limit_bytes` the hook that holds it to its cenv's value.
 * @example scope.addHook('onRoute', (route) => setRouteBodyLimit(route, server, ceilingOf('body_limit_bytes', server)))
 */
export function setRouteBodyLimit(route: RouteOptions, server: ServerSettings, bodyCeiling: number): void {
  const setting = route.config?.bodyLimitSetting ?? 'body_limit_bytes';
  route.bodyLimit = ceilingOf(setting, server);
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (setting !== 'body_limit_bytes' || !methods.some((m) => WITH_BODY.has(m.toUpperCase()))) return;
  const hook: preParsingHookHandler = (request, _reply, payload, done) => {
    try {
      done(null, limitBody(request, payload, bodyCeiling));
    } catch (error) {
      done(error as Error);
    }
  };
  addRouteHook(route, 'preParsing', hook);
}

/** The payload as is, or wrapped in a counter, or a 413. */
function limitBody(request: FastifyRequest, payload: RequestPayload, ceiling: number): RequestPayload {
  const max = request.caller.settings.body_limit_bytes;
  const declared = request.headers['content-length'];
  if (declared !== undefined) {
    // Node's parser never delivers more than the declared length.
    if (Number(declared) > max) throw tooLarge(max);
    return payload;
  }
  if (max >= ceiling) return payload;
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > max) done(tooLarge(max));
      else done(null, chunk);
    },
  });
  payload.on('error', (error) => counter.destroy(error));
  return payload.pipe(counter);
}
