/**
 * Messages from the main process to one child, coalesced: everything queued during one turn
 * of the event loop goes out in a single IPC write (one `batch` message) at its end. Under
 * load several jobs become ready in one turn (replies read together, requests parsed
 * together), and each write to the pipe is a system call that also wakes the child: the
 * main process spent a sixth of its time in them (measured, docs/dev/sandbox.md).
 *
 * When the child already has HOLD_AHEAD jobs it was sent and has not answered, new jobs wait
 * for its next answer instead of the end of the turn. Evictions are never held.
 *
 * Replies are not coalesced in the child: a reply held back would wait behind the next job,
 * which may be a long one, past its own deadline.
 *
 * A message that cannot be serialised (nested too deeply for the encoder) fails alone:
 * the batch is retried one message at a time and only the culprit is reported.
 */
import type { ChildProcess } from 'node:child_process';
import type { ParentMessage } from './protocol.ts';

/**
 * Jobs a child must have been sent and not answered before new ones wait for its next answer.
 * With that many queued in its pipe, holding a new job back costs the child no idle time,
 * and the jobs held meanwhile go out in one write (measured: 8 took ~2.5 µs of main-process
 * CPU off each get-one request under load; 2 and 4 saved less).
 */
export const HOLD_AHEAD = 8;

export class Outbox {
  private readonly proc: ChildProcess;
  private readonly onUnsendable: (message: ParentMessage, error: unknown) => void;
  private pending: ParentMessage[] = [];
  private scheduled = false;
  /** Jobs written to the child and not answered yet. */
  private ahead = 0;

  /** `onUnsendable` hears of each message that could not be sent (its job must fail alone). */
  constructor(proc: ChildProcess, onUnsendable: (message: ParentMessage, error: unknown) => void) {
    this.proc = proc;
    this.onUnsendable = onUnsendable;
  }

  /** Queues `message`; it is written at the end of this turn of the event loop. */
  push(message: ParentMessage): void {
    this.pending.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** One job the child was sent has been answered (or failed). */
  answered(): void {
    if (this.ahead > 0) this.ahead--;
    if (this.pending.length > 0 && this.ahead < HOLD_AHEAD && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes everything queued now. */
  flush(): void {
    this.scheduled = false;
    // The child has work queued already: new jobs wait for its next answer and go out together.
    if (this.ahead >= HOLD_AHEAD && this.pending.every((m) => m.kind === 'job')) return;
    const messages = this.pending;
    this.pending = [];
    if (messages.length === 0 || !this.proc.connected) return;
    try {
      this.proc.send(messages.length === 1 ? messages[0] : { kind: 'batch', messages });
      for (const message of messages) if (message.kind === 'job') this.ahead++;
    } catch {
      for (const message of messages) {
        try {
          this.proc.send(message);
          if (message.kind === 'job') this.ahead++;
        } catch (error) {
          this.onUnsendable(message, error);
        }
      }
    }
  }
}
