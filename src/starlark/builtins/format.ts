/** String formatting: the % operator and str.format. */
import { fail } from '../values/errors.ts';
import type { Thread } from '../values/thread.ts';
import type { Value } from '../values/value.ts';

/** `format % args`. */
export function percentFormat(_thread: Thread, format: string, _args: Value): string {
  return fail(`not implemented: ${format}`);
}
