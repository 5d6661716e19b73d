/**
 * The page a UI navigation ends on when it cannot show what was asked: no access for this
 * role, an unknown cenv, a server that is not ready. Says what happened and offers the next
 * step.
 */
import { useEffect } from 'preact/hooks';
import { logout } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { sentence } from '../lib/format.ts';

export function NoticePage() {
  const ref = boot.cenv?.ref;
  useEffect(() => { document.title = `${boot.title ?? 'Notice'} · WCE`; }, []);
  const hint = boot.status === 403
    ? 'Ask an owner or admin of this cenv for access, or log in as someone who has it.'
    : boot.status === 404 ? 'Check the address. Cenv names are lower-case; the id is the long one you got when it was created.'
      : boot.status && boot.status >= 500 ? `Try again in a moment. If it keeps happening, tell the server's operator (request id ${boot.request_id}).`
        : null;
  return (
    <div class="center-page">
      <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">W</span> WCE</a>
      <main class="card center-card">
        <p class="muted">Error {boot.status}</p>
        <h1>{boot.title}</h1>
        <p class="notice-message">{sentence(boot.message ?? '')}</p>
        {hint && <p class="muted">{hint}</p>}
        <div class="form-actions">
          {ref && boot.status !== 404 && <a class="btn btn-primary" href={`/${encodeURIComponent(ref)}/dashboard`}>Go to the dashboard</a>}
          {ref && boot.signed_in && <button type="button" class="btn btn-secondary" onClick={() => void logout()}>Log in as someone else</button>}
          {!ref || boot.status === 404 ? <a class="btn btn-secondary" href="/">WCE home</a> : null}
        </div>
      </main>
    </div>
  );
}
