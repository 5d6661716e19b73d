/**
 * The Test tab: runs the editor's text — saved or not — against a request you describe
 * (method, path, query, body) as yourself, another user or an anonymous visitor, through
 * `POST /{cenv}/admin/endpoints/test`. The run is always rolled back: nothing it writes
 * stays. Shows the status, duration and steps, the body (JSON pretty-printed), the headers,
 * what `print` wrote, and an error with its line (marked in the editor too).
 */
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../lib/api.ts';
import { boot } from '../../lib/boot.ts';
import { formatDuration, plural, sentence } from '../../lib/format.ts';
import { Button } from '../../components/Button.tsx';
import { Field, Select } from '../../components/Field.tsx';
import { Empty } from '../../components/States.tsx';
import { parseQuery, problemsOf, samplePath, type Endpoint, type Problem, type RunError, type TestResult } from './model.ts';

const TEST_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export interface TestUser { id: string; username: string; role: string }

export interface TestPanelProps {
  endpoint: Endpoint;
  users: TestUser[];
  getSource: () => string;
  /** Registers the run function (the editor's Ctrl/Cmd+Enter calls it). */
  register: (run: () => void) => void;
  onProblems: (problems: Problem[]) => void;
  onRunError: (error: RunError | null) => void;
}

function statusClass(status: number): string {
  return status >= 500 ? 'badge-danger' : status >= 400 ? 'badge-warn' : 'badge-admin';
}

/** The body as the panel shows it: JSON indented, other text as it is. */
function shownBody(result: TestResult): string {
  const body = result.body ?? '';
  if (/json/i.test(result.headers['content-type'] ?? '')) {
    try { return JSON.stringify(JSON.parse(body), null, 2); } catch { /* shown as sent */ }
  }
  return body;
}

export function TestPanel({ endpoint, users, getSource, register, onProblems, onRunError }: TestPanelProps) {
  const [method, setMethod] = useState<string>(endpoint.method === 'ANY' ? 'GET' : endpoint.method);
  const [path, setPath] = useState(samplePath(endpoint.path));
  const [query, setQuery] = useState('');
  const [body, setBody] = useState(endpoint.method === 'GET' ? '' : '{}');
  const [asUser, setAsUser] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const isOwner = boot.user?.role === 'owner';
  const blocked = endpoint.run_as === 'owner' && !isOwner;

  const run = async () => {
    if (running || blocked) return;
    setRunning(true);
    setFailure(null);
    const payload: Record<string, unknown> = {
      source: getSource(), method, path: path.startsWith('/') ? path : `/${path}`, pattern: endpoint.path, run_as: endpoint.run_as,
      query: parseQuery(query), ...(body !== '' && method !== 'GET' && method !== 'HEAD' ? { body, headers: { 'content-type': 'application/json' } } : {}),
    };
    if (asUser === 'anonymous') payload.as_user = null;
    else if (asUser) payload.as_user = asUser;
    try {
      const reply = await api<TestResult>('/admin/endpoints/test', { body: payload });
      setResult(reply);
      onProblems([]);
      onRunError(reply.error ?? null);
    } catch (e) {
      setResult(null);
      onRunError(null);
      const problems = problemsOf(e);
      if (problems) {
        onProblems(problems);
        setFailure(`The script does not check: ${plural(problems.length, 'problem')}, marked in the editor. Fix them and test again.`);
      } else {
        setFailure(sentence((e as ApiError).message));
      }
    } finally {
      setRunning(false);
    }
  };
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => register(() => void runRef.current()), []);

  const userOptions = [
    { value: '', label: `yourself (${boot.user?.username})` },
    ...users.filter((u) => u.id !== boot.user?.id && !(u.role === 'owner' && !isOwner)).map((u) => ({ value: u.id, label: `${u.username} (${u.role})` })),
    { value: 'anonymous', label: 'anonymous (not logged in)' },
  ];

  return (
    <div class="test-panel">
      <form class="test-form" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <div class="form-row compact">
          <Select id="test-method" label="Method" value={method} onValue={setMethod} options={TEST_METHODS.map((m) => ({ value: m, label: m }))} />
          <div class="grow"><Field id="test-path" label="Path" value={path} onValue={setPath} spellcheck={false} /></div>
        </div>
        <Field id="test-query" label="Query" value={query} onValue={setQuery} placeholder="q=hello&page=2" spellcheck={false} />
        {method !== 'GET' && method !== 'HEAD' && (
          <div class="field">
            <label for="test-body">Body (JSON or text)</label>
            <textarea id="test-body" rows={3} value={body} spellcheck={false} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
          </div>
        )}
        <Select id="test-as" label="Run as" value={asUser} onValue={setAsUser} options={userOptions} />
        {endpoint.run_as === 'owner' && <p class="hint">Queries run as the owner; <code>req.user</code> is who you pick here.</p>}
        {blocked
          ? <p class="callout">Only the owner may test an endpoint that runs as the owner.</p>
          : <div class="form-actions"><Button type="submit" variant="primary" busy={running} title="Run the editor's text (Ctrl/⌘+Enter)">Run test</Button><span class="muted small">Rolled back: nothing is written.</span></div>}
      </form>
      <div class="test-result" data-testid="test-result" aria-live="polite">
        {failure && <p class="form-error" role="alert">{failure}</p>}
        {!failure && !result && !blocked && <Empty title="Not run yet">Describe a request and press Run test, or <kbd>Ctrl+Enter</kbd> in the editor. Unsaved text is tested as it is.</Empty>}
        {result && (
          <>
            <div class="result-meta">
              <span class={`badge ${statusClass(result.status)}`} data-testid="test-status">{result.status}</span>
              <span class="muted">{formatDuration(result.duration_ms)}</span>
              <span class="muted">{plural(result.steps, 'step')}</span>
              <span class="muted small">{result.headers['content-type']?.split(';')[0] ?? 'no body'}</span>
            </div>
            {result.error && (
              <div class="run-error" role="alert">
                <p><strong>{result.error.line ? `Line ${result.error.line}${result.error.column ? `, column ${result.error.column}` : ''}: ` : ''}</strong>{result.error.message}</p>
                {result.error.cause && <p class="muted small">cause: {result.error.cause}</p>}
                {result.error.backtrace && <details><summary>Backtrace</summary><pre class="pre">{result.error.backtrace}</pre></details>}
              </div>
            )}
            {result.logs.length > 0 && (
              <section aria-label="print output">
                <h3 class="panel-title">Output</h3>
                <pre class="pre output" data-testid="test-output">{result.logs.join('\n')}</pre>
              </section>
            )}
            <section aria-label="Response body">
              <h3 class="panel-title">Body</h3>
              {result.body ? <pre class="pre" data-testid="test-body">{shownBody(result)}</pre> : <p class="muted small">No body.</p>}
            </section>
            <details>
              <summary>Headers ({Object.keys(result.headers).length})</summary>
              <dl class="kv small mono">{Object.entries(result.headers).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>)}</dl>
            </details>
          </>
        )}
      </div>
    </div>
  );
}
