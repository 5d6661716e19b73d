/**
 * Errors Node's HTTP parser raises before any route or hook runs (bad bytes in the path, a
 * malformed chunk, both Transfer-Encoding and Content-Length, NUL in a header, an unknown
 * method, headers over the size limit, a request that took too long to arrive). Fastify's
 * default answers these in its own JSON without the security headers; this answers in the
 * one error shape, with the API's headers, and closes the connection (the parser's state is
 * unknown after such an error, so the socket cannot be reused).
 */
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { HEADERS_BY_KIND } from './headers.ts';

interface ParserError extends Error { code?: string }

function classify(error: ParserError): { status: number; code: string; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'WCE_ERR_HEADERS_TOO_LARGE', message: 'the request headers are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'WCE_ERR_TIMEOUT', message: 'the request took too long to arrive' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, code: 'WCE_ERR_BAD_REQUEST', message: 'unknown HTTP method' };
    default:
      return { status: 400, code: 'WCE_ERR_BAD_REQUEST', message: `malformed HTTP request (${error.code ?? 'parse error'})` };
  }
}

/** Fastify's `clientErrorHandler`: answers in the error shape when the socket can still take it. */
export function clientErrorHandler(error: ParserError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, code, message } = classify(error);
  const body = JSON.stringify({ error: { code, message } });
  const headers = Object.entries({
    ...HEADERS_BY_KIND.api,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  }).map(([name, value]) => `${name}: ${value}`).join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n\r\n${body}`);
}
