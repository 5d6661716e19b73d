/**
 * The JSON body parser. Fastify's default decodes invalid UTF-8 into U+FFFD and carries on,
 * which would silently store mangled names; this one refuses such a body with a 400 that
 * says so. Prototype-poisoning keys (`__proto__`, `constructor.prototype`) are refused as in
 * Fastify's own parser.
 *
 * Two more checks, because what is parsed here travels on: nesting deeper than MAX_DEPTH
 * (recursive code later — validation, the sandbox's encoder — would overflow its stack on a
 * 20 KB body of brackets, which once crashed the server), and numbers JSON.parse turns into
 * Infinity (`1e400`), which would silently become NULL on the way to the sandbox.
 */
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { InvalidJsonError } from '../errors.ts';

/** How deeply arrays and objects may nest in a request body. */
export const MAX_DEPTH = 64;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Why a parsed body is not acceptable, or null. Iterative: the body may be adversarial. */
export function bodyProblem(value: unknown): string | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'a number is too large to represent (it must fit a 64-bit float)';
    } else if (item !== null && typeof item === 'object') {
      if (depth >= MAX_DEPTH) return `arrays and objects may nest at most ${MAX_DEPTH} levels deep`;
      for (const child of Object.values(item)) stack.push([child, depth + 1]);
    }
  }
  return null;
}

/** Parses `buffer` as strict UTF-8 JSON, or throws InvalidJsonError saying why not. */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new InvalidJsonError('it is not valid UTF-8');
  }
  if (text.trim() === '') throw new InvalidJsonError('the body is empty');
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new InvalidJsonError((error as Error).message);
  }
  const problem = bodyProblem(value);
  if (problem) throw new InvalidJsonError(problem);
  return value;
}

export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
