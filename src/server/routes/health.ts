/**
 * Health checks: `/health` (summary), `/health/live` (the process answers) and
 * `/health/ready` (the data directory is writable and the registry answers; 503 otherwise).
 * The client learns what is wrong in general terms; the path and the error, which describe
 * the server's layout, go to the log only. A registry that says why it is not ready with a
 * NotReadyError (cluster mode: lease lost, node draining) has that reason shown as is.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessSync, constants } from 'node:fs';
import { NotReadyError } from '../../errors.ts';

async function readiness(app: FastifyInstance, request: FastifyRequest): Promise<string | null> {
  try {
    accessSync(app.deps.config.dataDir, constants.W_OK);
  } catch (error) {
    request.log.error({ err: error, dataDir: app.deps.config.dataDir }, 'not ready: data directory not writable');
    return 'data directory not writable';
  }
  try {
    await app.deps.registry.ping();
  } catch (error) {
    if (error instanceof NotReadyError) return error.message;
    request.log.error({ err: error }, 'not ready: registry database does not answer');
    return 'registry database does not answer';
  }
  return null;
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Probes are never rate limited: a load balancer polling must not lock itself out.
  const probe = { config: { rateLimit: false as const } };
  app.get('/health', probe, async () => ({ status: 'ok' }));
  app.get('/health/live', probe, async () => ({ status: 'ok' }));
  app.get('/health/ready', probe, async (request) => {
    const problem = await readiness(app, request);
    if (problem) throw new NotReadyError(problem);
    return { status: 'ready' };
  });
}
