/**
 * Response schemas are documentation: every reply is serialized with JSON.stringify, as it was
 * before the routes had schemas, so an incomplete schema can never drop a field from an answer
 * (fast-json-stringify, Fastify's default, would). In tests (`checkResponses`) each JSON reply
 * is also checked against the schema its route declares for that status, and one that does not
 * match fails the request with a 500 and a line on stderr naming the route and the field: the
 * whole test suite then keeps the OpenAPI document honest.
 *
 * @example app.setSerializerCompiler(responseSerializer(options.checkResponses === true))
 */
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

interface Target { schema: unknown; method: string; url: string; httpStatus: string }

/** A checker compiled on first use (most schemas are never exercised in one test file). */
function lazyCheck(target: Target): (data: unknown) => void {
  let check: TypeCheck<TSchema> | null = null;
  return (data) => {
    check ??= TypeCompiler.Compile(target.schema as TSchema);
    if (check.Check(data)) return;
    const first = check.Errors(data).First();
    const where = `${target.method} ${target.url} ${target.httpStatus}`;
    const problem = `response of ${where} does not match its schema at ${first?.path || '/'}: ${first?.message}`;
    process.stderr.write(`wce: ${problem}\n`);
    throw new Error(problem);
  };
}

/**
 * The serializer compiler: JSON.stringify, plus the schema check when `check` is true (only
 * schemas built with TypeBox are checked; plain JSON Schema ones are passed over).
 */
export function responseSerializer(check: boolean): FastifySerializerCompiler<unknown> {
  return (target) => {
    const checkable = check && typeof target.schema === 'object' && target.schema !== null && Kind in target.schema;
    if (!checkable) return (data) => JSON.stringify(data);
    const verify = lazyCheck(target as Target);
    return (data) => {
      verify(data);
      return JSON.stringify(data);
    };
  };
}
