/**
 * `wce export FILE`: downloads the whole cenv (the owner's right) as one SQLite file — a
 * consistent snapshot taken while writers go on — or, with --sql, as SQL text. The file
 * holds every user's password hash: keep it like a secret. It is written to FILE.partial
 * first and renamed when complete, so an interrupted export never looks like a good one.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, TARGET, TARGET_HELP, positionals, type Command } from '../args.ts';
import { Client, CliError } from '../client.ts';
import { bytes, counted, progressBar } from '../progress.ts';

const USAGE = `Usage: wce export FILE [--sql]

Downloads the cenv (owner only) into FILE: a SQLite file that wce import (or POST /new)
takes back. "-" writes to standard output. A progress bar shows on a terminal.

      --sql          SQL text instead of a database file
${TARGET_HELP}

Example (a nightly backup):
  wce export "backups/blog-$(date +%F).db"`;

export const exportCommand: Command = {
  name: 'export',
  summary: "download the cenv's database file (a consistent snapshot)",
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...TARGET, sql: { type: 'boolean' } }, USAGE);
    if (!args) return;
    const [file] = positionals(args.positionals, ['FILE'], USAGE);
    const client = Client.forCenv(args.values);
    const response = await client.fetch('GET', `/admin/export${args.values.sql ? '?format=sql' : ''}`, { headers: { accept: '*/*' } });
    if (!response.ok || !response.body) await client.read(response);
    const length = Number(response.headers.get('content-length')) || null;
    const bar = progressBar(`Exporting ${client.cenv}`, length);
    const body = Readable.fromWeb(counted(response.body! as ReadableStream<Uint8Array>, bar) as import('node:stream/web').ReadableStream);
    if (file === '-') {
      await pipeline(body, process.stdout);
      bar.done();
      return;
    }
    const partial = `${file}.partial`;
    let written = 0;
    body.on('data', (chunk: Buffer) => { written += chunk.length; });
    try {
      await pipeline(body, createWriteStream(partial, { mode: 0o600 }));
    } catch (error) {
      rmSync(partial, { force: true });
      throw new CliError(`the export stopped before the end (${(error as Error).message}); nothing was written to ${file}`);
    }
    renameSync(partial, file);
    bar.done();
    process.stdout.write(`Exported ${client.cenv} to ${file} (${bytes(written)})\n`);
  },
};
