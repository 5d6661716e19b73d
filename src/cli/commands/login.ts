/**
 * `wce login CENV --username ada`: a session for the next commands. The token is kept in the
 * credentials file (0600; credentials.ts) for this server and cenv, which become the default.
 */
import { parse, SERVER, type Command } from '../args.ts';
import { Client, UsageError, cenvOf, serverOf } from '../client.ts';
import { credentialsPath, saveLogin } from '../credentials.ts';
import { note } from '../output.ts';
import { PASSWORD_HELP, PASSWORD_OPTIONS, readPassword } from '../password.ts';

const USAGE = `Usage: wce login [CENV] --username USER [--password-stdin]

Logs in to a cenv and keeps the token (mode 0600) in ~/.config/wce/credentials.json
(or $XDG_CONFIG_HOME/wce/). Later commands use this server and cenv unless told otherwise.

  -u, --username USER    who logs in
${PASSWORD_HELP}
  -c, --cenv NAME        the cenv (instead of CENV)
  -s, --server URL       the server (default: WCE_SERVER, the last login's, or http://localhost:5309)
  -h, --help             this help`;

interface LoginReply { token: string; expires_at: string; user: { username: string; role: string } }

/** Logs in and keeps the token; returns the user's role. */
export async function logIn(server: string, cenv: string, username: string, password: string): Promise<LoginReply> {
  const reply = await new Client(server, cenv, null).json<LoginReply>('POST', '/login', { username, password });
  saveLogin({ server, cenv }, { token: reply.token, username: reply.user.username, expires_at: reply.expires_at });
  return reply;
}

export const login: Command = {
  name: 'login',
  summary: 'log in to a cenv (the token is kept for later commands, mode 0600)',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...SERVER, ...PASSWORD_OPTIONS, cenv: { type: 'string', short: 'c' }, username: { type: 'string', short: 'u' } }, USAGE);
    if (!args) return;
    const { values } = args;
    if (!values.username) throw new UsageError(`--username is needed\n${USAGE.split('\n')[0]}`);
    const server = serverOf(values);
    const cenv = args.positionals[0] ?? cenvOf(values, server);
    const password = await readPassword(values['password-stdin'], `Password for ${values.username} on ${cenv}: `);
    const reply = await logIn(server, cenv, values.username, password);
    process.stdout.write(`Logged in to ${cenv} as ${reply.user.username} (${reply.user.role}) until ${reply.expires_at}\n`);
    note(`The token is kept in ${credentialsPath()}`);
  },
};
