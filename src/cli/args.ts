/**
 * Command lines, parsed with node:util `parseArgs` (strict: an unknown option is a usage
 * error that names it, never silently ignored). Every command takes `--help`; those that talk
 * to a server take `--server`, and those that work on a cenv `--cenv`.
 *
 * @example
 *   const args = parse(argv, { ...TARGET, file: { type: 'string', short: 'f' } }, USAGE);
 *   if (!args) return; // --help was printed
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './client.ts';

/** One subcommand: `wce NAME …`. */
export interface Command {
  name: string;
  /** One line for `wce --help`. */
  summary: string;
  /** The text of `wce NAME --help`. */
  usage: string;
  run(argv: string[]): Promise<void>;
}

export const HELP = { help: { type: 'boolean', short: 'h' } } as const;
export const SERVER = { server: { type: 'string', short: 's' }, ...HELP } as const;
export const TARGET = { ...SERVER, cenv: { type: 'string', short: 'c' } } as const;

/** The lines every command's help ends with. */
export const TARGET_HELP = `  -s, --server URL   the server (default: WCE_SERVER, the last login's, or http://localhost:5309)
  -c, --cenv NAME    the cenv, by name or id (default: WCE_CENV, or the last login's)
  -h, --help         this help`;

/**
 * Parses `argv` against `options`; prints `usage` and returns null for --help. A mistake is
 * a UsageError that says what was wrong and where the help is.
 */
export function parse<O extends ParseArgsOptionsConfig>(argv: string[], options: O, usage: string, allowPositionals = true) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const command = usage.match(/^Usage: (wce \S+(?: [a-z]+)?)/m)?.[1] ?? 'wce';
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/s, '')}\nSee: ${command} --help`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage.trimEnd()}\n`);
    return null;
  }
  return parsed;
}

/** Exactly `count` positionals, or a UsageError naming what is missing. */
export function positionals(given: string[], names: string[], usage: string): string[] {
  if (given.length < names.length) throw new UsageError(`missing ${names.slice(given.length).join(' ')}\n${usage.split('\n')[0]}`);
  if (given.length > names.length) throw new UsageError(`unexpected "${given[names.length]}"\n${usage.split('\n')[0]}`);
  return given;
}
