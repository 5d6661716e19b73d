/** Methods of string values. */
import type { MethodTable } from './methods.ts';

export const stringMethods: MethodTable = {};
