/** Methods of set values. */
import type { MethodTable } from './methods.ts';

export const setMethods: MethodTable = {};
