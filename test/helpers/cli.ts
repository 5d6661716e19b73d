/**
 * The `wce` command as a person runs it: a child process of bin/wce.mjs with its own HOME
 * and XDG_CONFIG_HOME (a temporary directory, so tokens never touch the real ones), pointed
 * at a test server with WCE_SERVER.
 *
 * @example
 *   const cli = new Cli(server.url);
 *   const run = await cli.run(['sql', 'SELECT 1']);
 *   assert.equal(run.code, 0, run.stderr);
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, type TestServer } from './server.ts';

const WCE = path.resolve(import.meta.dirname, '../../bin/wce.mjs');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** A command left running (`--follow`): what it printed so far, and a wait for a line to come. */
export interface CliWatch {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output (stdout and stderr) matches `pattern`; fails the test after `ms`. */
  until(pattern: RegExp, ms?: number): Promise<void>;
}

export class Cli {
  readonly home = tempDir('wce-cli-home-');
  readonly env: Record<string, string>;

  constructor(server: string, env: Record<string, string> = {}) {
    this.env = { PATH: process.env.PATH ?? '', HOME: this.home, XDG_CONFIG_HOME: path.join(this.home, '.config'), WCE_SERVER: server, ...env };
  }

  /** Runs `wce …args`; `input` goes to its standard input (a password, SQL). */
  run(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [WCE, ...args], { env: { ...this.env, ...options.env }, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => { stdout += chunk; });
      child.stderr.on('data', (chunk) => { stderr += chunk; });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
  }

  /** Runs and fails the test (with what the command said) unless it exits 0. */
  async ok(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
    const run = await this.run(args, options);
    if (run.code !== 0) throw new Error(`wce ${args.join(' ')} exited ${run.code}\n${run.stderr}${run.stdout}`);
    return run;
  }

  /** `wce new NAME --username USER` with a password on standard input (logged in afterwards). */
  async newCenv(name: string, username = 'ada', password = 'correct horse battery'): Promise<CliRun> {
    return this.ok(['new', name, '--username', username, '--password-stdin'], { input: `${password}\n` });
  }

  /** Starts `wce …args` and leaves it running (kill `child` when done). */
  watch(args: string[]): CliWatch {
    const child = spawn(process.execPath, [WCE, ...args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk) => { out += chunk; });
    child.stderr!.on('data', (chunk) => { out += chunk; });
    return {
      child,
      output: () => out,
      async until(pattern, ms = 10_000) {
        const deadline = Date.now() + ms;
        while (!pattern.test(out)) {
          if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${out}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
    };
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/**
 * A test server and a `wce` pointed at it, for a test file's `before`; `close` for its `after`.
 * @example
 *   before(async () => ({ server, cli } = await startCliServer()));
 *   after(() => closeCliServer(server, cli));
 */
export async function startCliServer(): Promise<{ server: TestServer; cli: Cli }> {
  const server = await startServer();
  return { server, cli: new Cli(server.url) };
}

export async function closeCliServer(server: TestServer, cli: Cli): Promise<void> {
  cli.cleanup();
  await server.close();
}
