/**
 * Messages from the main process to one child, coalesced: everything queued during one turn
 * of the event loop goes out in a single IPC write (one `batch` message) at its end. Under
 * load several jobs become ready in one turn (replies read together, requests parsed
 * together), and each write to the pipe is a system call that also wakes the child: the
 * main process spent a sixth of its time in them (measured, docs/dev/sandbox.md).
 *
 * Replies are not coalesced in the child: a reply held back would wait behind the next job,
 * which may be a long one, past its own deadline.
 *
 * A message that cannot be serialised (nested too deeply for the encoder) fails alone:
 * the batch is retried one message at a time and only the culprit is reported.
 */
import type { ChildProcess } from 'node:child_process';
import type { ParentMessage } from './protocol.ts';

export class Outbox {
  private readonly proc: ChildProcess;
  private readonly onUnsendable: (message: ParentMessage, error: unknown) => void;
  private pending: ParentMessage[] = [];
  private scheduled = false;

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

  /** Writes everything queued now. */
  flush(): void {
    this.scheduled = false;
    const messages = this.pending;
    this.pending = [];
    if (messages.length === 0 || !this.proc.connected) return;
    try {
      this.proc.send(messages.length === 1 ? messages[0] : { kind: 'batch', messages });
    } catch {
      for (const message of messages) {
        try {
          this.proc.send(message);
        } catch (error) {
          this.onUnsendable(message, error);
        }
      }
    }
  }
}
