/**
 * File downloads: a `Content-Disposition: attachment` whose filename names the cenv (its
 * name, else its id) and the time in UTC, so files saved side by side sort and say what
 * they are. The name holds only `a-z 0-9 - .`, so it needs no quoting rules.
 *
 * @example attachment(reply, cenv, 'audit', 'csv') // blog-audit-2026-11-26T01-02-03Z.csv
 */
import type { FastifyReply } from 'fastify';
import type { CenvRecord } from '../cenv/registry.ts';

export function downloadName(cenv: CenvRecord, what: string | null, ext: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  return [cenv.name ?? cenv.id, what, stamp].filter(Boolean).join('-') + `.${ext}`;
}

/** Marks the reply as a download of `ext` named after the cenv. */
export function attachment(reply: FastifyReply, cenv: CenvRecord, what: string | null, ext: string): FastifyReply {
  return reply.header('content-disposition', `attachment; filename="${downloadName(cenv, what, ext)}"`);
}
