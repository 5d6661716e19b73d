/**
 * Restoring a cenv from its authoritative replica (`litestream restore`) into a scratch
 * directory; the caller moves the file into place while the cenv is drained. Litestream
 * writes the result next to its own temporary files, which stay in the scratch directory
 * and go with it.
 *
 * @example const file = await restoreReplica({ root, cenvId, token }, dbPath, scratchDir);
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { litestreamCommand, litestreamEnv } from './binary.ts';
import { replicaLocation, shardConfig, type ReplicaTarget } from './config.ts';

const RESTORE_TIMEOUT_MS = 10 * 60_000;

/** Thrown when no usable copy exists at the replica path. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Restores the replica of `target` and returns the path of the restored database, inside a
 * new directory under `scratchDir` (the caller removes it). `dbPath` is where the cenv's
 * file lives: Litestream's config keys its replicas by it.
 */
export async function restoreReplica(target: ReplicaTarget, dbPath: string, scratchDir: string): Promise<string> {
  const dir = mkdtempSync(path.join(scratchDir, `${target.cenvId}-`));
  const config = path.join(dir, 'restore.yml');
  const output = path.join(dir, 'restored.db');
  writeFileSync(config, shardConfig([{ dbPath, target }]), { mode: 0o600 });
  const { command, args } = litestreamCommand(['restore', '-no-expand-env', '-config', config, '-o', output, dbPath]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: litestreamEnv() });
  let log = '';
  child.stdout!.on('data', (chunk) => { log += chunk; });
  child.stderr!.on('data', (chunk) => { log += chunk; });
  const timer = setTimeout(() => child.kill('SIGKILL'), RESTORE_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  if (code !== 0) {
    throw new RestoreError(`litestream restore from ${replicaLocation(target)} failed (exit ${code}): ${log.trim().split('\n').slice(-3).join(' | ').slice(0, 600)}`);
  }
  return output;
}
