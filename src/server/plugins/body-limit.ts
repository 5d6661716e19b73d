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
import type { FastifyRequest, RequestPayload, RouteOptions } from 'fastify';
import { ceilingOf, type ServerSettings } from '../../cenv/settings.ts';
import { PayloadTooLargeError } from '../../errors.ts';

function tooLarge(max: number): Error {
  return new PayloadTooLargeError(`the request body is larger than this cenv accepts: ${max} bytes (body_limit_bytes)`);
}

/** Sets a cenv route's Fastify body limit to the ceiling of the setting that governs it. */
export function setRouteBodyLimit(route: RouteOptions, server: ServerSettings): void {
  route.bodyLimit = ceilingOf(route.config?.bodyLimitSetting ?? 'body_limit_bytes', server);
}

/**
 * The `preParsing` hook: the payload as is, or wrapped in a counter, or a 413.
 * @example scope.addHook('preParsing', async (request, _reply, payload) => limitBody(request, payload, ceiling))
 */
export function limitBody(request: FastifyRequest, payload: RequestPayload, ceiling: number): RequestPayload {
  if ((request.routeOptions.config.bodyLimitSetting ?? 'body_limit_bytes') !== 'body_limit_bytes') return payload;
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
