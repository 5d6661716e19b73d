/**
 * Bundles bench/starlark/child.ts (with the interpreter it imports) into one plain JS file in
 * a temporary directory, so the benchmark's child measures the interpreter and not Node's
 * TypeScript loader: running a .ts file makes Node load its type-stripping wasm module, which
 * alone raises the idle child's peak RSS from about 49 MB to about 95 MB (measured with an
 * empty program, Node 24). Built with rolldown, the bundler vite (a devDependency) runs on;
 * it only strips types and joins modules, so the code V8 runs is the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';

export interface BundledChild {
  /** The bundled child, a .mjs file. */
  file: string;
  /** Removes the temporary directory. */
  dispose(): void;
}

/**
 * @example const child = await bundleChild(join(here, 'child.ts')); run(child.file); child.dispose();
 */
export async function bundleChild(entry: string): Promise<BundledChild> {
  const dir = mkdtempSync(join(tmpdir(), 'starlark-bench-child-'));
  const file = join(dir, 'child.mjs');
  await build({ input: entry, platform: 'node', logLevel: 'warn', output: { file, format: 'esm' } });
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
