/**
 * Receiving a file body (a cenv to import or clone) into a scratch file in the data
 * directory, counted against a size limit as it arrives, never held in memory. Two forms:
 *
 * - raw: `Content-Type: application/vnd.sqlite3` (or `application/x-sqlite3`,
 *   `application/octet-stream`), the body is the file; other values in headers/query;
 * - `multipart/form-data`: one file part (any field name) and small text fields.
 *
 * A route that takes uploads calls `acceptUploads(app)` in its own plugin (so the parsers
 * exist there only, and JSON bodies are refused there unless asked for) and declares
 * `config.bodyLimitSetting: 'max_import_bytes'`.
 *
 * @example
 *   const upload = await receiveUpload(request, { dataDir, maxBytes, limitName: 'max_import_bytes' });
 *   try { …upload.file…; upload.fields.password } finally { upload.discard(); }
 */
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { removeCenvFiles } from '../cenv/create.ts';
import { scratchFile } from '../cenv/paths.ts';
import { PayloadTooLargeError, ValidationError } from '../errors.ts';

/** Content types whose body is the file itself. */
export const RAW_TYPES = ['application/vnd.sqlite3', 'application/x-sqlite3', 'application/octet-stream'];
const MAX_FIELDS = 8;
const MAX_FIELD_BYTES = 4096;

export interface Upload {
  file: string;
  bytes: number;
  /** Text fields of a multipart body (none for a raw body). */
  fields: Record<string, string>;
  /** Removes the scratch file (a no-op once it was moved or consumed). */
  discard(): void;
}

export interface UploadLimits { dataDir: string; maxBytes: number; limitName: string }

/**
 * Registers the raw and multipart body parsers on `app` (a route plugin's own instance).
 * @example await acceptUploads(app)
 */
export async function acceptUploads(app: FastifyInstance, options: { json: boolean } = { json: false }): Promise<void> {
  // The route reads the stream itself (receiveUpload), counting and writing to disk.
  app.addContentTypeParser(RAW_TYPES, (_request, payload, done) => done(null, payload));
  await app.register(multipart, { throwFileSizeLimit: true });
  if (!options.json) {
    // An upload route's Fastify body limit is the import ceiling: the JSON parser, which
    // buffers the whole body, must not be reachable there.
    app.removeContentTypeParser('application/json');
  }
}

function tooLarge(limits: UploadLimits): Error {
  return new PayloadTooLargeError(`the file is larger than ${limits.maxBytes} bytes (${limits.limitName})`);
}

/** Writes `stream` to `file`, failing with a 413 past the limit. */
async function store(stream: Readable, file: string, limits: UploadLimits): Promise<number> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) done(tooLarge(limits));
      else done(null, chunk);
    },
  });
  await pipeline(stream, counter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  return bytes;
}

/** Multipart errors of @fastify/multipart in WCE's words. */
function multipartError(error: unknown, limits: UploadLimits): Error {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(limits);
  if (code.startsWith('FST_') || /multipart|boundary/i.test(String((error as Error).message))) {
    return new ValidationError(`the multipart body cannot be read: ${(error as Error).message}`);
  }
  return error as Error;
}

async function receiveMultipart(request: FastifyRequest, file: string, limits: UploadLimits): Promise<{ bytes: number; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  let bytes = -1;
  const parts = request.parts({ limits: { fileSize: limits.maxBytes, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 } });
  for await (const part of parts) {
    if (part.type === 'file') {
      bytes = await store(part.file, file, limits);
      if (part.file.truncated) throw tooLarge(limits);
    } else if (typeof part.value === 'string') {
      if (part.valueTruncated) throw new ValidationError(`the field "${part.fieldname.slice(0, 64)}" is longer than ${MAX_FIELD_BYTES} bytes`);
      fields[part.fieldname] = part.value;
    }
  }
  if (bytes < 0) throw new ValidationError('the multipart body has no file part');
  return { bytes, fields };
}

/**
 * Reads the request's file into a new scratch file; throws 413 past `maxBytes` (naming
 * `limitName`) and 400/415 for a body that holds no file. Nothing is left behind on failure.
 */
export async function receiveUpload(request: FastifyRequest, limits: UploadLimits): Promise<Upload> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes && !request.isMultipart()) throw tooLarge(limits);
  const file = scratchFile(limits.dataDir, 'upload');
  const discard = () => removeCenvFiles(file);
  try {
    if (request.isMultipart()) {
      const { bytes, fields } = await receiveMultipart(request, file, limits);
      return { file, bytes, fields, discard };
    }
    const body = request.body as Readable | undefined;
    if (!body || typeof body.pipe !== 'function') throw new ValidationError(`send the file as ${RAW_TYPES[0]} or multipart/form-data`);
    return { file, bytes: await store(body, file, limits), fields: {}, discard };
  } catch (error) {
    discard();
    throw multipartError(error, limits);
  }
}
