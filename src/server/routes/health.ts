/**
 * Health checks: `/health` (summary), `/health/live` (the process answers) and
 * `/health/ready` (the data directory is writable and the registry answers; 503 otherwise,
 * with the reason, so an orchestrator's log says what to fix).
 */
import type { FastifyInstance } from 'fastify';
import { accessSync, constants } from 'node:fs';

function readiness(app: FastifyInstance): string | null {
  try {
    accessSync(app.deps.config.dataDir, constants.W_OK);
  } catch {
    return `data directory ${app.deps.config.dataDir} is not writable`;
  }
  try {
    app.deps.registry.ping();
  } catch (error) {
    return `registry database does not answer: ${(error as Error).message}`;
  }
  return null;
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const problem = readiness(app);
    if (problem) return reply.status(503).send({ error: { code: 'WCE_ERR_NOT_READY', message: problem } });
    return { status: 'ready' };
  });
}
