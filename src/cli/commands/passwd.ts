/**
 * `wce passwd`: changes your own password on the cenv you are logged in to (POST /me/password).
 * Your other sessions end; the token `wce login` kept goes on working.
 */
import { parse, TARGET, TARGET_HELP, type Command } from '../args.ts';
import { Client, UsageError } from '../client.ts';
import { note } from '../output.ts';
import { readPasswords } from '../password.ts';

const USAGE = `Usage: wce passwd [--password-stdin]

Changes your password on the cenv (the current one is asked first). Your sessions elsewhere
end; this login goes on working.

      --password-stdin   read the current password, then the new one, from the first two
                         lines of standard input (else two prompts and a confirmation)
${TARGET_HELP}`;

export const passwd: Command = {
  name: 'passwd',
  summary: 'change your own password (your other sessions end)',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...TARGET, 'password-stdin': { type: 'boolean' } }, USAGE, false);
    if (!args) return;
    const client = Client.forCenv(args.values);
    const [current, next] = await readPasswords(args.values['password-stdin'], ['Current password: ', 'New password: '], 'New password again: ');
    if ([...next].length < 8) throw new UsageError('the new password needs at least 8 characters');
    const result = await client.json<{ other_sessions_ended: number }>('POST', '/me/password', { current_password: current, new_password: next });
    process.stdout.write(`Password changed on ${client.cenv}.\n`);
    if (result.other_sessions_ended > 0) note(`${result.other_sessions_ended} other session${result.other_sessions_ended === 1 ? '' : 's'} ended.`);
  },
};
