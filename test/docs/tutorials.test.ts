/**
 * Every command of the guides runs, in order, against a real server, and the outputs the
 * guides promise (`# → …` lines) are what comes out; so the docs cannot rot. The convention
 * is in test/helpers/doc-blocks.ts (and docs/dev/contributing.md).
 *
 * Each page gets a fresh server, an empty working directory (with `examples/` linked in, as
 * in a checkout), its own HOME, `npx wce` and `wce` that run this checkout's CLI, and
 * `localhost:5309` pointed at the test server. WCE_PASSWORD answers the CLI's password
 * prompts with the password the guides use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir } from '../helpers/server.ts';
import { runnableScript, verify } from '../helpers/doc-blocks.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The pages whose commands run; each must have some. */
const PAGES = ['getting-started.md', 'tutorial-first-cenv.md', 'tutorial-endpoints.md', 'tutorial-blog.md', 'tutorial-row-policies.md', 'cli.md'];
const PASSWORD = 'correct horse battery';

function shims(dir: string): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const wce = `"${process.execPath}" "${path.join(ROOT, 'bin/wce.mjs')}"`;
  writeFileSync(path.join(bin, 'wce'), `#!/bin/sh\nexec ${wce} "$@"\n`);
  writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\n[ "$1" = wce ] || { echo "the docs test runs only npx wce, not npx $*" >&2; exit 127; }\nshift\nexec ${wce} "$@"\n`);
  for (const name of ['wce', 'npx']) chmodSync(path.join(bin, name), 0o755);
  return bin;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', () => { clearTimeout(timer); resolve(output); });
  });
}

for (const page of PAGES) {
  test(`docs/${page}: every command runs and says what the page says`, async () => {
    const server = await startServer();
    // The page's commands and the outputs it promises, with localhost:5309 meaning this server.
    const script = runnableScript(readFileSync(path.join(ROOT, 'docs', page), 'utf8').replaceAll('localhost:5309', new URL(server.url).host));
    assert.ok(script.checks.length > 0, `${page} has no checked commands`);
    const home = tempDir('wce-docs-');
    const work = path.join(home, 'work');
    mkdirSync(work);
    symlinkSync(path.join(ROOT, 'examples'), path.join(work, 'examples'));
    try {
      const output = await bash(script.text, work, {
        PATH: `${shims(home)}:${process.env.PATH}`, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'),
        WCE_SERVER: server.url, WCE_PASSWORD: PASSWORD, LANG: 'C.UTF-8',
      });
      assert.deepEqual(verify(script, output), [], `docs/${page}`);
    } finally {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
}
