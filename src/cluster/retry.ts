/**
 * Retrying a step that needs etcd until it succeeds (joining, loading the cluster state): a
 * node that cannot reach etcd waits for it rather than failing, with a backoff from 250 ms
 * up to 5 s, and says so in the log each time.
 *
 * @example await untilDone(() => this.load(), () => this.closed, log, 'cannot read the cluster state');
 */
import type { SessionLogger } from './session.ts';

export async function untilDone(step: () => Promise<void>, stopped: () => boolean, log: SessionLogger, failure: string): Promise<void> {
  for (let attempt = 0; !stopped(); attempt++) {
    try {
      await step();
      return;
    } catch (error) {
      log.warn({ err: error, attempt }, `cluster: ${failure}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** Math.min(attempt, 5))));
    }
  }
}
