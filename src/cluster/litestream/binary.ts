/**
 * How Litestream is started. The binary comes from npm (`@flydotio/litestream`, which puts
 * the v0.3.13 build for this platform in `@flydotio/litestream-{platform}-{arch}`); we run
 * it directly rather than through the package's Node wrapper, which would add a Node process
 * per Litestream process.
 *
 * Litestream outlives a WCE process that dies abruptly (kill -9, OOM) unless told otherwise;
 * an orphan would keep replicating a file nobody serves. When util-linux `setpriv` is there,
 * each one is started with `--pdeathsig SIGKILL`, so the kernel kills it with its parent.
 *
 * It gets only the environment it needs: PATH, HOME, TMPDIR and the AWS_* / LITESTREAM_*
 * variables (S3 credentials, region, endpoint) — never WCE's own secrets.
 *
 * @example const { command, args } = litestreamCommand(['replicate', '-config', file]);
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

let cachedBinary: string | null = null;
let cachedSetpriv: boolean | null = null;

/** The Litestream executable shipped by the npm package for this platform. */
export function litestreamBinary(): string {
  cachedBinary ??= fileURLToPath(import.meta.resolve(`@flydotio/litestream-${process.platform}-${process.arch}/litestream`));
  return cachedBinary;
}

function hasSetpriv(): boolean {
  cachedSetpriv ??= process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'true']).status === 0;
  return cachedSetpriv;
}

/** The command line that runs Litestream with `args`, tied to this process's life when possible. */
export function litestreamCommand(args: string[]): { command: string; args: string[] } {
  return hasSetpriv()
    ? { command: 'setpriv', args: ['--pdeathsig', 'SIGKILL', '--', litestreamBinary(), ...args] }
    : { command: litestreamBinary(), args };
}

/** The environment a Litestream process gets. */
export function litestreamEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (name === 'PATH' || name === 'HOME' || name === 'TMPDIR' || name.startsWith('AWS_') || name.startsWith('LITESTREAM_')) kept[name] = value;
  }
  return kept;
}
