/**
 * The `endpoint` op's handler, listed in src/child.ts: a saved endpoint's run or an unsaved
 * source's test run, in a sandbox child (run.ts does the work).
 *
 * @example const HANDLERS: OpHandlers = { sql: sqlHandler, endpoint: endpointHandler, render };
 */
import { ValidationError } from '../errors.ts';
import type { OpHandler } from '../sandbox/handlers.ts';
import { runEndpoint } from './run.ts';

export const endpointHandler: OpHandler<'endpoint'> = {
  run(ctx, payload) {
    if ((payload.endpoint === undefined) === (payload.test === undefined)) {
      throw new ValidationError('an endpoint job names either a saved endpoint or a test source');
    }
    return runEndpoint(ctx, payload);
  },
};
