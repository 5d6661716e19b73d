/**
 * `wce import FILE`: replaces the whole cenv with an exported file (the owner's right). The
 * server checks the file before anything changes, keeps the previous content for one
 * `wce import --undo`, and ends every session: log in again with the file's accounts.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse, TARGET, TARGET_HELP, type Command } from '../args.ts';
import { Client, UsageError } from '../client.ts';
import { forgetLogin } from '../credentials.ts';
import { note } from '../output.ts';
import { PASSWORD_HELP, PASSWORD_OPTIONS, readPassword } from '../password.ts';
import { bytes, counted, progressBar } from '../progress.ts';

const USAGE = `Usage: wce import FILE [--password-stdin]
       wce import --undo

Replaces everything in the cenv (owner only) with FILE, a cenv exported by WCE. The file is
checked first (a WCE cenv, complete, with one owner); if anything is wrong, nothing changes.
Every session ends: log in again with the file's accounts. A progress bar shows on a terminal.

${PASSWORD_HELP}
                         (needed when the file's owner is not you: their password)
      --undo             put back what the last import replaced (once)
${TARGET_HELP}`;

interface Imported { bytes: number; tables: number; users: number; owner: { username: string } }

export const importCommand: Command = {
  name: 'import',
  summary: "replace the cenv's data with an exported file (checked first; one undo)",
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...TARGET, ...PASSWORD_OPTIONS, undo: { type: 'boolean' } }, USAGE);
    if (!args) return;
    const client = Client.forCenv(args.values);
    const target = { server: client.server, cenv: client.cenv! };
    if (args.values.undo) {
      if (args.positionals.length > 0) throw new UsageError('--undo takes no FILE');
      await client.json('POST', '/admin/import/undo');
      process.stdout.write(`${client.cenv} is as it was before the import.\n`);
      return;
    }
    const [file, ...rest] = args.positionals;
    if (!file || rest.length > 0) throw new UsageError(`one FILE to import\n${USAGE.split('\n')[0]}`);
    let size: number;
    try { size = statSync(file).size; } catch { throw new UsageError(`cannot read ${file}`); }
    const headers: Record<string, string> = { 'content-type': 'application/vnd.sqlite3', 'content-length': String(size) };
    if (args.values['password-stdin'] || process.env.WCE_PASSWORD) headers['x-wce-password'] = await readPassword(args.values['password-stdin'], '');
    const { id } = await client.json<{ id: string }>('GET', '/admin/overview');
    const bar = progressBar(`Importing into ${client.cenv}`, size);
    const body = counted(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, bar);
    const response = await client.fetch('POST', `/admin/import?confirm=${encodeURIComponent(id)}`, { body, headers });
    bar.done();
    const result = await client.read<Imported>(response);
    forgetLogin(target);
    process.stdout.write(`Imported ${file} into ${client.cenv} (${bytes(result.bytes)}, ${result.tables} tables, ${result.users} users; owner ${result.owner.username})\n`);
    note(`Every session has ended. Log in again: wce login ${client.cenv} --username ${result.owner.username}`);
    note('Changed your mind? wce import --undo puts the previous content back.');
  },
};
