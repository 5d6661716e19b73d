/**
 * `wce`: the command line of WCE — the server (`wce serve`, what `npm start` runs) and a
 * client for it (create and log in to cenvs, run SQL, deploy project directories, back up,
 * manage users). One file per command in commands/; each says what it does with --help.
 *
 * Failures are one line on standard error that says what to do, and an exit code by kind
 * (client.ts EXIT): 1 refused or failed, 2 usage, 3 not logged in, 4 server unreachable.
 *
 * @example node bin/wce.mjs sql "SELECT 1"
 */
import type { Command } from './args.ts';
import { CliError, EXIT } from './client.ts';
import { cluster } from './commands/cluster.ts';
import { create } from './commands/new.ts';
import { eventsCommand } from './commands/events.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { login } from './commands/login.ts';
import { logout } from './commands/logout.ts';
import { logs } from './commands/logs.ts';
import { passwd } from './commands/passwd.ts';
import { pull } from './commands/pull.ts';
import { push } from './commands/push.ts';
import { serve } from './commands/serve.ts';
import { sql } from './commands/sql.ts';
import { users } from './commands/users.ts';

const COMMANDS: Command[] = [serve, create, login, logout, passwd, sql, push, pull, exportCommand, importCommand, users, logs, eventsCommand, cluster];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `wce: WCE's server and its command line

Usage: wce <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Start with:  wce serve          (in another terminal:)
             wce new blog --username ada
             wce sql "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT)"

Commands that talk to a server take --server URL (default: WCE_SERVER, the last login's, or
http://localhost:5309); those that work on a cenv take --cenv NAME (default: WCE_CENV or the
last login's). Tokens from wce login are kept in ~/.config/wce/credentials.json (mode 0600).
"wce <command> --help" says more; docs/cli.md has everything.

Exit codes: 0 done; 1 the server refused or something failed; 2 the command line is wrong;
3 not logged in, or the session ended; 4 the server cannot be reached.
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(command ? `${command.usage}\n` : help());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    process.stdout.write(`${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`wce: no command "${name}". The commands: ${COMMANDS.map((c) => c.name).join(', ')} (wce --help says more)\n`);
    return EXIT.usage;
  }
  try {
    await command.run(rest);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`wce ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

const code = await main(process.argv.slice(2));
// `serve` keeps running (its listeners hold the process); everything else ends here.
if (process.argv[2] !== 'serve' || code !== EXIT.ok) process.exitCode = code;
