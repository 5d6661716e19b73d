/**
 * Raw HTTP for tests of what only a socket can send: malformed requests, bodies that stop
 * arriving, headers that never end. Answers are parsed just enough to assert on.
 */
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  /** The status code, or 0 when the connection closed without an answer. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the first byte sent to the connection's close. */
  ms: number;
}

function parse(data: string, ms: number): RawAnswer {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
  const [head, ...rest] = data.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status, headers, body: rest.join('\r\n\r\n'), ms };
}

/**
 * Sends `bytes` (then keeps the socket open, sending nothing more) and resolves with what came
 * back once the server closes the connection, or after `giveUpMs` with status 0.
 * @example const answer = await rawExchange(port, 'GARBAGE / HTTP/1.1\r\n\r\n'); answer.status // 400
 */
export function rawExchange(port: number, bytes: Buffer | string, giveUpMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    let data = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(data, Date.now() - started));
    };
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(finish, giveUpMs);
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

/** Just the status code of a raw exchange (0 when the connection closed without an answer). */
export async function rawRequest(port: number, bytes: Buffer | string): Promise<number> {
  return (await rawExchange(port, bytes)).status;
}
