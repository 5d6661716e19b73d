/** The predeclared builtins of the spec (True/False/None are handled by the resolver). */
import type { Value } from '../values/value.ts';

export const universe: Record<string, Value> = {};
