/** Methods of bytes values. */
import { StringIter } from '../values/value.ts';
import type { Bytes } from '../values/value.ts';
import { positional } from './args.ts';
import type { MethodTable } from './methods.ts';

export const bytesMethods: MethodTable = {
  elems(_thread, args, kwargs, recv) {
    positional('elems', args, kwargs, 0, 0);
    return new StringIter(recv as Bytes, 'elems');
  },
};
