/**
 * `wce serve`: the server itself (what `npm start` runs). Configuration comes from WCE_*
 * environment variables (docs/configuration.md); the few flags here only set those.
 */
import { parse, HELP, type Command } from '../args.ts';

const USAGE = `Usage: wce serve [--port N] [--host ADDRESS] [--data-dir DIR]

Starts WCE: the JSON API, the browser IDE and every cenv in the data directory.
Stop it with Ctrl+C (SIGINT) or SIGTERM: in-flight requests finish first.

Options (each sets the environment variable named; the rest are in docs/configuration.md):
      --port N           WCE_PORT (default 5309)
      --host ADDRESS     WCE_HOST (default 0.0.0.0)
      --data-dir DIR     WCE_DATA_DIR (default ./cenvs)
  -h, --help             this help`;

export const serve: Command = {
  name: 'serve',
  summary: 'start the server (what npm start runs)',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...HELP, port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' } }, USAGE, false);
    if (!args) return;
    const { port, host, 'data-dir': dataDir } = args.values;
    if (port !== undefined) process.env.WCE_PORT = port;
    if (host !== undefined) process.env.WCE_HOST = host;
    if (dataDir !== undefined) process.env.WCE_DATA_DIR = dataDir;
    await import('../../main.ts');
  },
};
