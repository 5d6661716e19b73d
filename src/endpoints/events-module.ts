/**
 * The `events` module scripts see: `events.publish(channel, value)` sends a message to the
 * cenv's event-stream subscribers of that channel (`GET /{cenv}/events?channels=…`) — for
 * chat- or presence-like apps. A message is delivered only if the run commits, and only to
 * subscribers who pass the endpoint's own access level (src/events/event-hub.ts): a
 * `user` endpoint's messages reach signed-in subscribers, never anonymous ones.
 *
 * Limits per run: 100 messages, each at most 64 KB of JSON, on channels named like
 * `chat.room-1` (letters, digits, `_ . : -`, up to 64).
 *
 * @example (Starlark) events.publish("chat", {"from": req.user.username, "text": msg})
 */
import { Builtin, Module, params, StarlarkError, toJS, type Thread } from '../starlark/index.ts';

/** The thread-local key under which a run collects what it publishes. */
export const PUBLISHED = 'wce.published';
export const MAX_MESSAGES = 100;
export const MAX_MESSAGE_BYTES = 64 * 1024;
const CHANNEL = /^[A-Za-z0-9_.:-]{1,64}$/;
const PUBLISH = params('events.publish', 'channel', 'value');

export interface Published { channel: string; value: unknown }

/** What the current run has published so far (set up by the runner). */
export function publishedOf(thread: Thread): Published[] {
  let list = thread.locals.get(PUBLISHED) as Published[] | undefined;
  if (!list) {
    list = [];
    thread.locals.set(PUBLISHED, list);
  }
  return list;
}

export const eventsModule = new Module('events', {
  publish: new Builtin('events.publish', (thread, args, kwargs) => {
    const [channel, value] = PUBLISH.unpack(args, kwargs);
    if (typeof channel !== 'string' || !CHANNEL.test(channel)) {
      throw new StarlarkError('events.publish: channel must be 1 to 64 letters, digits or _ . : -');
    }
    const list = publishedOf(thread);
    if (list.length >= MAX_MESSAGES) throw new StarlarkError(`events.publish: at most ${MAX_MESSAGES} messages per run`);
    let js: unknown;
    try {
      js = toJS(value!);
    } catch (error) {
      throw new StarlarkError(`events.publish: the value must be JSON-like (None, bool, int, float, string, list, dict): ${(error as Error).message}`);
    }
    const text = JSON.stringify(js, (_k, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));
    if (text.length > MAX_MESSAGE_BYTES) throw new StarlarkError(`events.publish: a message may be at most ${MAX_MESSAGE_BYTES} bytes of JSON`);
    thread.step(1 + (text.length >> 6));
    list.push({ channel, value: JSON.parse(text) });
    return null;
  }),
});
