/** Methods of dict values. */
import type { MethodTable } from './methods.ts';

export const dictMethods: MethodTable = {};
