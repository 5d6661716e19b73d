/**
 * The `inspect` op: checks and prepares an uploaded cenv file (src/cenv/inspect.ts) in a
 * child, so that a file crafted to make SQLite slow or hungry meets the op's deadline and the
 * child's memory cap instead of the server process. It works on the upload's own path and
 * never opens the cenv the job is queued for.
 */
import path from 'node:path';
import { inspectCenvFile } from '../cenv/inspect.ts';
import type { OpHandler } from './handlers.ts';

/** Uploads are written by the main process into the data directory under this prefix. */
export const UPLOAD_PREFIX = '.upload-';

export const inspectHandler: OpHandler<'inspect'> = {
  opensCenv: false,
  run(_ctx, payload) {
    // The path comes from the main process; checked anyway, since this opens and writes it.
    if (!path.basename(payload.file).startsWith(UPLOAD_PREFIX) || !path.isAbsolute(payload.file)) {
      throw new Error('inspect only works on uploads in the data directory');
    }
    const inspect = inspectCenvFile(payload.file);
    return { status: 200, body: '', effects: { writes: [], reads: [] }, inspect };
  },
};
