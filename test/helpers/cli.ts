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
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './server.ts';

const WCE = path.resolve(import.meta.dirname, '../../bin/wce.mjs');

export interface CliRun { code: number | null; stdout: string; stderr: string }

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

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
