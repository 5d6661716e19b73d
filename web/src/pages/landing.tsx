/**
 * `GET /`: what WCE is, a form to create a cenv (owner username, password, optional name)
 * that shows the new cenv's address and continues to its login, and links to the docs.
 * When the server does not allow new cenvs the page says so instead of showing the form.
 */
import { useState } from 'preact/hooks';
import { ApiError, request } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { sentence } from '../lib/format.ts';
import { Button } from '../components/Button.tsx';
import { Field } from '../components/Field.tsx';

interface Created { cenv_id: string; cenv_url: string; name?: string }

const NAME_HINT = '3–40 characters: lower-case letters, digits and dashes. Leave empty to use the id.';

function CreateForm() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: 'username' | 'password' | 'name' | null; message: string } | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < 8) { setError({ field: 'password', message: 'Use at least 8 characters.' }); return; }
    setBusy(true);
    setError(null);
    try {
      setCreated(await request<Created>('/new', { body: { username, password, ...(name.trim() ? { name: name.trim() } : {}) }, allow401: true }));
    } catch (e) {
      const err = e as ApiError;
      const field = /username/.test(err.message) ? 'username' : /password/.test(err.message) ? 'password' : /name/.test(err.message) || err.status === 409 ? 'name' : null;
      setError({ field, message: err.status === 409 ? `${sentence(err.message)} Pick another name, or leave it empty.` : sentence(err.message) });
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const ref = created.name ?? created.cenv_id;
    const login = `/${encodeURIComponent(ref)}/login?username=${encodeURIComponent(username)}`;
    return (
      <div class="created" role="status">
        <h2>Your cenv is ready</h2>
        <p>Its address:</p>
        <p><a class="cenv-url mono" href={`/${encodeURIComponent(ref)}/`}>{created.cenv_url}</a></p>
        <p class="muted">You are its owner, <strong>{username}</strong>. Log in to build your app.</p>
        <a class="btn btn-primary" href={login} autoFocus>Continue to log in</a>
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-describedby="create-lede">
      <h2>Create a cenv</h2>
      <p class="muted" id="create-lede">You become its owner. It takes a second.</p>
      {error && !error.field && <p class="form-error" role="alert">{error.message}</p>}
      <Field id="username" label="Owner username" value={username} onValue={setUsername} autoComplete="username" required maxLength={64}
        error={error?.field === 'username' ? error.message : null} />
      <Field id="password" label="Password" type="password" value={password} onValue={setPassword} autoComplete="new-password" required
        hint="At least 8 characters." error={error?.field === 'password' ? error.message : null} />
      <Field id="name" label="Name (optional)" value={name} onValue={setName} autoComplete="off" spellcheck={false} maxLength={40}
        hint={NAME_HINT} error={error?.field === 'name' ? error.message : null} />
      <div class="form-actions"><Button type="submit" variant="primary" busy={busy}>Create cenv</Button></div>
    </form>
  );
}

/** "I have a cenv": its name or id, then its login page. */
function OpenCenv() {
  const [ref, setRef] = useState('');
  const go = (event: Event) => {
    event.preventDefault();
    const value = ref.trim();
    if (value) location.assign(`/${encodeURIComponent(value)}/login`);
  };
  return (
    <form class="open-cenv" onSubmit={go}>
      <h2>Open a cenv you have</h2>
      <div class="inline-form">
        <Field id="open-ref" label="Its name or id" value={ref} onValue={setRef} autoComplete="off" spellcheck={false} placeholder="blog" />
        <Button type="submit">Go to its login</Button>
      </div>
    </form>
  );
}

export function LandingPage() {
  return (
    <div class="landing">
      <header class="landing-hero">
        <span class="brand-mark brand-mark-large" aria-hidden="true">W</span>
        <h1>WCE</h1>
        <p class="lede">
          A self-hosted platform for small web apps. Each app is a <strong>cenv</strong>: one SQLite file holding its users and
          sessions, table permissions and row policies, HTTP endpoints written in Starlark, templates and an audit log.
          Build it in the browser, with a SQL console and editors that speak vim.
        </p>
      </header>
      <main class="landing-main">
        <section class="card landing-form" aria-label="Create a cenv">
          {boot.allow_new_cenvs === false ? (
            <div role="status">
              <h2>New cenvs are turned off</h2>
              <p>This server does not let visitors create cenvs (<code>ALLOW_NEW_CENVS=false</code>). Ask its operator for one,
                or open a cenv you already have at <code>/your-cenv/login</code>.</p>
            </div>
          ) : <CreateForm />}
        </section>
        <section class="landing-info" aria-label="About">
          <h2>What you get</h2>
          <ul>
            <li>A JSON API for SQL, run under your table grants and PostgreSQL-style row policies, enforced by SQLite itself.</li>
            <li>Users, sessions and roles (owner, admin, user) with an audit log of every change.</li>
            <li>A browser IDE: dashboard, SQL console with completion and history, users and permissions.</li>
          </ul>
          <h2>Docs</h2>
          <ul>
            <li><a href="/docs">API reference</a> (every route, with examples)</li>
            <li><a href="/openapi.json">OpenAPI document</a></li>
          </ul>
          <p>Or from a terminal:</p>
          <pre class="terminal">{`curl -X POST ${location.origin}/new \\
  -H 'content-type: application/json' \\
  -d '{"username": "ada", "password": "…", "name": "blog"}'`}</pre>
          <OpenCenv />
        </section>
      </main>
    </div>
  );
}
