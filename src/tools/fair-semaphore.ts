/**
 * A counting semaphore whose waiters are served fairly: in rotation across groups, and
 * within a group in rotation across members. Used for password hashing, where a flood of
 * cenv creations from one address must not make a login to another cenv wait behind it: the
 * login's group is next as soon as a slot frees, so it waits for at most one hash per slot.
 *
 * The queue is bounded in all (`maxQueue`) and per member (`maxPerMember`); past either,
 * `run` refuses at once instead of letting a burst pile up.
 *
 * @example
 *   const slots = new FairSemaphore(2, { maxQueue: 256, maxPerMember: 16 });
 *   await slots.run({ group: cenvId, member: ip }, () => bcrypt.verify(pw, hash));
 */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export interface FairKey { group: string; member: string }

export class FairSemaphore {
  private running = 0;
  private waiting = 0;
  /** group → member → waiters; both Maps' orders are rotation orders. */
  private readonly groups = new Map<string, Map<string, Array<() => void>>>();
  private readonly perMember = new Map<string, number>();
  private readonly limit: number;
  private readonly maxQueue: number;
  private readonly maxPerMember: number;

  constructor(limit: number, options: { maxQueue: number; maxPerMember: number }) {
    this.limit = limit;
    this.maxQueue = options.maxQueue;
    this.maxPerMember = options.maxPerMember;
  }

  async run<T>(key: FairKey, task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await this.wait(key);
    else this.running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter in rotation, or give it back.
      const next = this.next();
      if (next) next();
      else this.running--;
    }
  }

  private wait(key: FairKey): Promise<void> {
    const memberKey = `${key.group}\u0000${key.member}`;
    const mine = this.perMember.get(memberKey) ?? 0;
    if (this.waiting >= this.maxQueue) return Promise.reject(new QueueFullError(`${this.maxQueue} tasks are already waiting`));
    if (mine >= this.maxPerMember) return Promise.reject(new QueueFullError(`${this.maxPerMember} tasks of this client are already waiting`));
    return new Promise<void>((resolve) => {
      let members = this.groups.get(key.group);
      if (!members) this.groups.set(key.group, members = new Map());
      let queue = members.get(key.member);
      if (!queue) members.set(key.member, queue = []);
      queue.push(() => {
        const left = (this.perMember.get(memberKey) ?? 1) - 1;
        if (left > 0) this.perMember.set(memberKey, left);
        else this.perMember.delete(memberKey);
        resolve();
      });
      this.perMember.set(memberKey, mine + 1);
      this.waiting++;
    });
  }

  /** The next waiter in rotation; its group and member move to the back. */
  private next(): (() => void) | undefined {
    const first = this.groups.entries().next();
    if (first.done) return undefined;
    const [group, members] = first.value;
    const [member, queue] = members.entries().next().value!;
    const wake = queue.shift()!;
    members.delete(member);
    if (queue.length > 0) members.set(member, queue);
    this.groups.delete(group);
    if (members.size > 0) this.groups.set(group, members);
    this.waiting--;
    return wake;
  }
}
