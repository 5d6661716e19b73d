/**
 * How a UI page fails: a browser navigation should land on something a person can act on,
 * not a JSON error. No session (or an expired one) redirects to the cenv's login with the
 * page to come back to; anything else is the notice page with the message, the status and
 * what to do next. Used as the error handler of the UI's route plugins, so it also catches
 * what the cenv scope's hooks throw for these routes (unknown cenv, bad session, role).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../auth/authenticate.ts';
import type { DetailedError } from '../../errors.ts';
import { describeError } from '../error-handler.ts';
import { renderShell } from './shells.ts';

const TITLES: Record<number, string> = {
  403: 'You cannot open this page',
  404: 'Not found',
  429: 'Too many requests',
  503: 'Unavailable',
};

/** `/{cenv}/login?next=…` for the page that was asked for; `expired` when a session cookie was sent but is no longer good. */
export function loginRedirect(request: FastifyRequest): string {
  const segment = encodeURIComponent((request.params as { cenv?: string }).cenv ?? '');
  const expired = request.cookies[SESSION_COOKIE] ? '&expired=1' : '';
  return `/${segment}/login?next=${encodeURIComponent(request.url)}${expired}`;
}

/** The error handler of UI page routes. */
export function uiErrorHandler(error: FastifyError & DetailedError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = describeError(error, request);
  const cenv = (request.params as { cenv?: string }).cenv;
  if (status === 401 && cenv !== undefined) return reply.header('cache-control', 'no-store').redirect(loginRedirect(request), 302);
  let html: string;
  try {
    html = renderShell('notice', {
      status, code: body.error.code, message: body.error.message, request_id: request.id,
      title: TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'That did not work'),
      cenv: cenv === undefined ? null : { ref: cenv },
      // A 403 from the cenv scope means a session exists but its role is not enough (the
      // caller is not set yet when the scope's hook refused).
      signed_in: status === 403 || (request.caller?.principal !== undefined && request.caller.principal.role !== 'anonymous'),
    });
  } catch {
    // Not even the notice page is built: plain text still tells the person what happened.
    return reply.status(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`${body.error.message}\n`);
  }
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}
