/**
 * A counting semaphore with a bounded queue: at most `limit` tasks run at once, at most
 * `maxQueue` wait, and past that `run` refuses at once instead of letting a burst pile up
 * without bound.
 *
 * @example
 *   const hashing = new Semaphore(2, 100);
 *   const hash = await hashing.run(() => bcrypt.hash(pw)); // throws QueueFullError when 100 wait
 */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly limit: number;
  private readonly maxQueue: number;

  constructor(limit: number, maxQueue: number) {
    this.limit = limit;
    this.maxQueue = maxQueue;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxQueue) throw new QueueFullError(`${this.maxQueue} tasks are already waiting`);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
