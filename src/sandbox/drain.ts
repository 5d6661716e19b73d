/**
 * Draining a cenv out of the sandbox before its file is replaced or removed (import, delete):
 * no new job of it starts, the call waits until none of its jobs is in any child, then the
 * cenv's generation goes up and every child is told to close its connection — and the call
 * waits until each child says it has, so the file is never swapped under an open handle (a
 * late close could otherwise take the new file's WAL with it). A child that does not answer
 * within `ackTimeoutMs` is killed: a dead process holds no file.
 *
 * Every job carries its cenv's generation; a child whose connection is older reopens it, so
 * even a child that missed the eviction never serves the old file.
 */
export interface DrainChild {
  /** Queues the eviction message for the child. */
  evict(cenvId: string, generation: number, ack: number): void;
  /** The child cannot answer (not started, or leaving). */
  readonly quiet: boolean;
}

export class Drains {
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly generations = new Map<string, number>();
  private readonly acks = new Map<number, () => void>();
  private nextAck = 1;
  private readonly ackTimeoutMs: number;

  constructor(ackTimeoutMs = 5000) {
    this.ackTimeoutMs = ackTimeoutMs;
  }

  isDraining(cenvId: string): boolean {
    return this.waiting.has(cenvId);
  }

  generation(cenvId: string): number {
    return this.generations.get(cenvId) ?? 0;
  }

  /**
   * Drains `cenvId`: waits while `running()` says jobs of it are in children (`jobLeft` wakes
   * the wait), bumps the generation, evicts it from every child and waits for their answers
   * (`kill` for a child that stays silent). Returns the function that ends the drain.
   */
  async drain(cenvId: string, running: () => number, children: DrainChild[], kill: (child: DrainChild) => void): Promise<() => void> {
    if (this.waiting.has(cenvId)) throw new Error(`cenv ${cenvId} is already being drained`);
    this.waiting.set(cenvId, []);
    if (running() > 0) await new Promise<void>((resolve) => this.waiting.get(cenvId)!.push(resolve));
    const generation = this.generation(cenvId) + 1;
    this.generations.set(cenvId, generation);
    await Promise.all(children.filter((child) => !child.quiet).map((child) => new Promise<void>((resolve) => {
      const ack = this.nextAck++;
      const timer = setTimeout(() => {
        this.acks.delete(ack);
        kill(child);
        resolve();
      }, this.ackTimeoutMs);
      this.acks.set(ack, () => {
        clearTimeout(timer);
        resolve();
      });
      child.evict(cenvId, generation, ack);
    })));
    return () => {
      this.waiting.delete(cenvId);
    };
  }

  /** The last job of `cenvId` left the children: a drain waiting for it goes on. */
  jobLeft(cenvId: string): void {
    const waiters = this.waiting.get(cenvId);
    if (waiters) for (const wake of waiters.splice(0)) wake();
  }

  /** A child answered an eviction. */
  evicted(ack: number): void {
    const done = this.acks.get(ack);
    this.acks.delete(ack);
    done?.();
  }

  /** A child went away: whatever it had to acknowledge no longer matters. */
  childGone(pendingAcks: Iterable<number>): void {
    for (const ack of pendingAcks) this.evicted(ack);
  }
}
