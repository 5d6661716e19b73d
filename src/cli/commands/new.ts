/**
 * `wce new NAME --username ada`: creates a cenv (you become its owner) and logs in to it, so
 * the next commands work on it at once.
 */
import { parse, SERVER, type Command } from '../args.ts';
import { Client, UsageError, serverOf } from '../client.ts';
import { note } from '../output.ts';
import { PASSWORD_HELP, PASSWORD_OPTIONS, readPassword } from '../password.ts';
import { logIn } from './login.ts';

const USAGE = `Usage: wce new [NAME] --username USER [--password-stdin]

Creates a cenv with you as its owner, then logs in to it (the token is kept for the next
commands). NAME: 3–40 characters of a-z 0-9 -; without it the cenv has only its id.

  -u, --username USER    the owner's username
${PASSWORD_HELP}
      --no-login         create only; do not log in
  -s, --server URL       the server (default: WCE_SERVER, the last login's, or http://localhost:5309)
  -h, --help             this help

Example:
  echo "$PASSWORD" | wce new blog --username ada --password-stdin`;

export const create: Command = {
  name: 'new',
  summary: 'create a cenv (you own it) and log in to it',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...SERVER, ...PASSWORD_OPTIONS, username: { type: 'string', short: 'u' }, 'no-login': { type: 'boolean' } }, USAGE);
    if (!args) return;
    const { values } = args;
    if (args.positionals.length > 1) throw new UsageError(`one name at most, got ${args.positionals.length}\n${USAGE.split('\n')[0]}`);
    if (!values.username) throw new UsageError(`--username is needed: the owner's name\n${USAGE.split('\n')[0]}`);
    const name = args.positionals[0];
    const password = await readPassword(values['password-stdin'], `Password for ${values.username}: `);
    const server = serverOf(values);
    const created = await new Client(server, null, null).json<{ cenv_id: string; cenv_url: string; name?: string }>('POST', '/new', {
      username: values.username, password, ...(name ? { name } : {}),
    });
    const cenv = created.name ?? created.cenv_id;
    process.stdout.write(`Created ${cenv} at ${created.cenv_url} (id ${created.cenv_id})\n`);
    if (values['no-login']) return;
    await logIn(server, cenv, values.username, password);
    note(`Logged in to ${cenv} as ${values.username}. Next: wce sql "CREATE TABLE …", or open ${created.cenv_url}`);
  },
};
