/**
 * `GET /{cenv}/login`: the login form. Errors show inline (a wrong name or password, too
 * many attempts); success sets the HttpOnly session cookie and the CSRF cookie (the server
 * does both) and goes back to where the person was going (`?next=`, only paths inside this
 * cenv), else to the dashboard.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../lib/api.ts';
import { boot, cenvPath } from '../lib/boot.ts';
import { sentence } from '../lib/format.ts';
import { Button } from '../components/Button.tsx';
import { Field } from '../components/Field.tsx';

/** `next` if it is a path of this cenv (never another site or another cenv), else null. */
export function safeNext(next: string | null): string | null {
  if (!next) return null;
  const base = cenvPath('/');
  const byId = `/${boot.cenv?.id}/`;
  if (!(next.startsWith(base) || next.startsWith(byId)) || next.startsWith('//') || next.includes('\\')) return null;
  return next.startsWith(`${base}login`) ? null : next;
}

export function LoginPage() {
  const params = new URLSearchParams(location.search);
  const [username, setUsername] = useState(params.get('username') ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const cenvLabel = boot.cenv?.name ?? boot.cenv?.id;

  useEffect(() => {
    document.title = `Log in · ${cenvLabel} · WCE`;
    (username ? passwordRef : usernameRef).current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!username || !password) { setError('Enter your username and password.'); return; }
    setBusy(true);
    setError(null);
    try {
      await api('/login', { body: { username, password }, allow401: true });
      location.assign(safeNext(params.get('next')) ?? cenvPath('/dashboard'));
    } catch (e) {
      const err = e as ApiError;
      setError(err.status === 401 ? 'That username and password do not match. Check both and try again.'
        : sentence(err.message));
      setBusy(false);
      passwordRef.current?.select();
    }
  };

  return (
    <div class="center-page">
      <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">W</span> WCE</a>
      <main class="card center-card">
        <h1>Log in</h1>
        <p class="lede">to <strong>{cenvLabel}</strong></p>
        {params.get('expired') && !error && <p class="notice-info" role="status">Your session ended. Log in again to continue.</p>}
        <form onSubmit={submit} noValidate>
          {error && <p class="form-error" role="alert" id="login-error">{error}</p>}
          <Field id="username" label="Username" value={username} onValue={setUsername} autoComplete="username" required inputRef={usernameRef} />
          <Field id="password" label="Password" type="password" value={password} onValue={setPassword} autoComplete="current-password" required inputRef={passwordRef} />
          <div class="form-actions"><Button type="submit" variant="primary" busy={busy}>Log in</Button></div>
        </form>
      </main>
      <p class="muted small">No account? Ask this cenv's owner to add you.</p>
    </div>
  );
}
