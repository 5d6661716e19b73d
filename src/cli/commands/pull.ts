/**
 * `wce pull DIR`: writes the cenv into a project directory (the layout push reads), so it
 * can be kept in git and pushed to another cenv. Shows the files it will write, then writes
 * them; files the cenv no longer has are listed (deleted with --prune). A second pull finds
 * nothing to do.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TARGET, TARGET_HELP, positionals, type Command } from '../args.ts';
import { Client } from '../client.ts';
import { equivalent, managedFiles, projectFiles, readProject } from '../sync/layout.ts';
import { readRemote } from '../sync/remote.ts';

const USAGE = `Usage: wce pull DIR [--dry-run] [--prune]

Writes the cenv's migrations (schema.sql), grants and policies (policies.json), endpoints,
modules and templates into DIR, in the layout wce push reads. A cenv whose tables were not
made by push gets one migration, 000_existing, that creates them if they do not exist.

      --dry-run      print what would be written only
      --prune        also delete files of DIR that the cenv does not have
${TARGET_HELP}`;

export const pull: Command = {
  name: 'pull',
  summary: 'write the cenv into a directory (the layout push reads)',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...TARGET, 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' } }, USAGE);
    if (!args) return;
    const [dir] = positionals(args.positionals, ['DIR'], USAGE);
    const client = Client.forCenv(args.values);
    const remote = await readRemote(client);
    const existing = existsSync(dir) ? readProject(dir) : null;
    const files = projectFiles(remote, existing);
    const at = (file: string) => path.join(dir, ...file.split('/'));
    const writes = [...files].filter(([file, text]) => !existsSync(at(file)) || !equivalent(file, readFileSync(at(file), 'utf8'), text));
    const extra = existsSync(dir) ? managedFiles(dir).filter((file) => !files.has(file)) : [];
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`Pull of ${client.cenv} at ${client.server} into ${dir}:`);
    for (const [file] of writes) out(`  ${existsSync(at(file)) ? '~' : '+'} ${file}`);
    for (const file of extra) out(args.values.prune ? `  - ${file}` : `  ! ${file}: not in the cenv (kept; --prune deletes it)`);
    out(`${writes.length} to write, ${args.values.prune ? extra.length : 0} to delete; ${files.size - writes.length} unchanged.`);
    if (args.values['dry-run']) return;
    for (const [file, text] of writes) {
      mkdirSync(path.dirname(at(file)), { recursive: true });
      writeFileSync(at(file), text);
    }
    if (args.values.prune) for (const file of extra) rmSync(at(file));
  },
};
