/** Methods of list values. */
import type { MethodTable } from './methods.ts';

export const listMethods: MethodTable = {};
