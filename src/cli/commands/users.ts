/**
 * `wce users list|add|set|logout`: the cenv's users, for its owner and admins. Users are
 * named by username (or id); passwords come from standard input or a prompt, never argv.
 */
import { parse, TARGET, TARGET_HELP, type Command } from '../args.ts';
import { Client, UsageError } from '../client.ts';
import { note, objectTable, printJson, wantsJson } from '../output.ts';
import { PASSWORD_HELP, PASSWORD_OPTIONS, readPassword } from '../password.ts';

const USAGE = `Usage: wce users list [--json]
       wce users add USER [--role user|admin] [--password-stdin]
       wce users set USER [--role user|admin] [--enable | --disable] [--password]
       wce users logout USER

Manage the cenv's users (owner and admin only).

  list               every user: role, enabled, last login, active sessions
  add USER           a new user (role "user" unless --role admin)
  set USER           change a role, enable or disable (which ends their sessions), or with
                     --password set a new password (read as for add)
  logout USER        end all of that user's sessions

  -r, --role ROLE    user or admin
      --enable, --disable
      --password     set USER's password (with set)
${PASSWORD_HELP}
      --json, --table    JSON (the default when the output is not a terminal) or a table
${TARGET_HELP}`;

interface User { id: string; username: string; role: string; enabled: boolean; last_login: string | null; active_sessions?: number }

/** A user of the cenv by username or id; a UsageError naming where to look when there is none. */
export async function findUser(client: Client, name: string): Promise<User> {
  const { users } = await client.json<{ users: User[] }>('GET', '/admin/users');
  const user = users.find((u) => u.username === name || u.id === name);
  if (!user) throw new UsageError(`no user "${name}" in this cenv (wce users list shows them)`);
  return user;
}

function role(value: string | undefined): 'user' | 'admin' | undefined {
  if (value === undefined || value === 'user' || value === 'admin') return value;
  throw new UsageError(`--role must be user or admin, got "${value}" (a cenv has one owner; ownership moves in the dashboard)`);
}

export const users: Command = {
  name: 'users',
  summary: "list, add and change the cenv's users",
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, {
      ...TARGET, ...PASSWORD_OPTIONS, role: { type: 'string', short: 'r' }, enable: { type: 'boolean' }, disable: { type: 'boolean' },
      password: { type: 'boolean' }, json: { type: 'boolean' }, table: { type: 'boolean' },
    }, USAGE);
    if (!args) return;
    const { values, positionals: [action, name, ...rest] } = args;
    if (rest.length > 0) throw new UsageError(`unexpected "${rest[0]}"\nSee: wce users --help`);
    const needsName = (what: string) => { if (!name) throw new UsageError(`wce users ${what} needs a USER\nSee: wce users --help`); return name; };
    const client = Client.forCenv(values);
    switch (action) {
      case 'list': case undefined: {
        const list = (await client.json<{ users: User[] }>('GET', '/admin/users')).users;
        if (wantsJson(values)) return printJson(list);
        process.stdout.write(`${objectTable(['username', 'role', 'enabled', 'last_login', 'active_sessions', 'id'], list as unknown as Array<Record<string, unknown>>)}\n`);
        return;
      }
      case 'add': {
        const username = needsName('add');
        const password = await readPassword(values['password-stdin'], `Password for ${username}: `);
        const user = await client.json<User>('POST', '/admin/users', { username, password, role: role(values.role) ?? 'user' });
        process.stdout.write(`Added ${user.username} (${user.role}), id ${user.id}\n`);
        return;
      }
      case 'set': {
        const user = await findUser(client, needsName('set'));
        if (values.enable && values.disable) throw new UsageError('--enable or --disable, not both');
        const change: Record<string, unknown> = {};
        if (values.role !== undefined) change.role = role(values.role);
        if (values.enable || values.disable) change.enabled = Boolean(values.enable);
        if (values.password || values['password-stdin']) change.password = await readPassword(values['password-stdin'], `New password for ${user.username}: `);
        if (Object.keys(change).length === 0) throw new UsageError('nothing to change: give --role, --enable, --disable or --password');
        const updated = await client.json<User>('PUT', `/admin/users/${encodeURIComponent(user.id)}`, change);
        process.stdout.write(`${updated.username}: ${updated.role}, ${updated.enabled ? 'enabled' : 'disabled'}\n`);
        if (change.role !== undefined || change.enabled !== undefined || change.password !== undefined) note('Their sessions have ended.');
        return;
      }
      case 'logout': {
        const user = await findUser(client, needsName('logout'));
        const { revoked } = await client.json<{ revoked: number }>('DELETE', `/admin/users/${encodeURIComponent(user.id)}/sessions`);
        process.stdout.write(`Ended ${revoked} session${revoked === 1 ? '' : 's'} of ${user.username}\n`);
        return;
      }
      default:
        throw new UsageError(`unknown action "${action}": list, add, set or logout\nSee: wce users --help`);
    }
  },
};
