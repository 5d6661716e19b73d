/** Methods of bytes values. */
import type { MethodTable } from './methods.ts';

export const bytesMethods: MethodTable = {};
