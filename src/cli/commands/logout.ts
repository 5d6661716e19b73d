/** `wce logout`: ends the session on the server and forgets its token. */
import { parse, TARGET, TARGET_HELP, type Command } from '../args.ts';
import { Client, CliError, EXIT } from '../client.ts';
import { findLogin, forgetLogin } from '../credentials.ts';

const USAGE = `Usage: wce logout [--cenv NAME]

Ends the session on the server and removes its token from the credentials file.

${TARGET_HELP}`;

export const logout: Command = {
  name: 'logout',
  summary: 'end the session and forget its token',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, TARGET, USAGE, false);
    if (!args) return;
    const client = Client.forCenv(args.values);
    const target = { server: client.server, cenv: client.cenv! };
    if (!findLogin(target.server, target.cenv)) {
      process.stdout.write(`Not logged in to ${target.cenv} at ${target.server}.\n`);
      return;
    }
    try {
      await client.json('POST', '/logout');
    } catch (error) {
      // A session that had already ended (expired, revoked) is as logged out as can be.
      if (!(error instanceof CliError && error.exitCode === EXIT.auth)) throw error;
    } finally {
      forgetLogin(target);
    }
    process.stdout.write(`Logged out of ${target.cenv}.\n`);
  },
};
