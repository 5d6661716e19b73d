/**
 * The live preview: the editor's text and queries — saved or not — rendered with live data
 * through `POST /{cenv}/admin/templates/preview` a moment after each change, as an anonymous
 * visitor (what the page will show) or as a chosen user, with values for the path's
 * parameters. The page is shown in an iframe with `sandbox="allow-scripts"` and no
 * allow-same-origin, its HTML given as `srcdoc`: it runs in an opaque origin and cannot
 * reach the IDE, its cookies or the API. A failed render keeps the last good one on screen
 * and says what failed, and where.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../lib/api.ts';
import { formatDuration, sentence } from '../../lib/format.ts';
import { Field, Select } from '../../components/Field.tsx';
import { Loading } from '../../components/States.tsx';
import { paramsOf, queriesOf, showsAsPage, type Draft, type PreviewReply, type Syntax } from './model.ts';

const DEBOUNCE_MS = 350;

export interface PreviewPanelProps {
  path: string;
  syntax: Syntax;
  contentType: string;
  draft: Draft;
  users: Array<{ id: string; username: string; role: string }>;
  /** The render's error (null when it rendered), for the editor to mark. */
  onRendered: (error: PreviewReply['error'] | null) => void;
}

export function PreviewPanel({ path, syntax, contentType, draft, users, onRendered }: PreviewPanelProps) {
  const params = paramsOf(path);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(params.map((p) => [p, '1'])));
  const [asUser, setAsUser] = useState('');
  const [reply, setReply] = useState<PreviewReply | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify([path, syntax, contentType, draft, values, asUser]);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      const body = {
        path, syntax, content_type: contentType, source: draft.source, queries: queriesOf(draft.queries.filter((q) => q.name.trim() || q.sql.trim())),
        params: Object.fromEntries(params.map((p) => [p, values[p] ?? ''])), ...(asUser ? { as_user: asUser } : {}),
      };
      api<PreviewReply>('/admin/templates/preview', { body, signal: controller.signal }).then((r) => {
        setFailure(null);
        if (r.error) { onRendered(r.error); setReply((last) => (last ? { ...last, error: r.error } : r)); } else { onRendered(null); setReply(r); }
      }, (e: ApiError) => {
        if (e.name === 'AbortError') return;
        setFailure(sentence(e.message));
      }).finally(() => { if (!controller.signal.aborted) setBusy(false); });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [key]);

  const userOptions = [{ value: '', label: 'a visitor (anonymous, as pages render)' }, ...users.map((u) => ({ value: u.id, label: `${u.username} (${u.role})` }))];
  const asPage = showsAsPage(contentType);
  return (
    <div class="preview">
      <div class="preview-controls">
        {params.map((p) => (
          <div key={p} class="preview-param"><Field id={`param-${p}`} label={`:${p}`} value={values[p] ?? ''} onValue={(v) => setValues({ ...values, [p]: v })} spellcheck={false} /></div>
        ))}
        <Select id="preview-as" label="Render as" value={asUser} onValue={setAsUser} options={userOptions} />
      </div>
      <div class="preview-status" role="status" data-testid="preview-status">
        {busy && <span class="spinner" aria-hidden="true" />}
        {reply && !reply.error && <span class={`badge ${reply.status === 200 ? 'badge-admin' : 'badge-warn'}`}>{reply.status}{reply.not_found ? ' not found' : ''}</span>}
        {reply && !reply.error && <span class="muted small">{formatDuration(reply.duration_ms)}{reply.reads.length ? ` · reads ${reply.reads.join(', ')}` : ' · reads no table'}</span>}
        {!reply && !failure && <span class="muted small">Rendering…</span>}
      </div>
      {(failure || reply?.error) && (
        <div class="run-error" role="alert" data-testid="preview-error">
          <p>
            <strong>{failure ? 'Not rendered: ' : reply!.error!.query ? `Query ${reply!.error!.query}: ` : reply!.error!.line ? `Line ${reply!.error!.line}: ` : 'Not rendered: '}</strong>
            {failure ?? sentence(reply!.error!.message)}
          </p>
          {reply && <p class="muted small">The preview below is the last render that worked.</p>}
        </div>
      )}
      <div class={`preview-frame-wrap${failure || reply?.error ? ' stale' : ''}`}>
        {!reply ? <Loading label="Rendering the preview…" />
          : asPage
            ? <iframe class="preview-frame" title={`Preview of ${path}`} sandbox="allow-scripts" srcdoc={reply.html} data-testid="preview-frame" />
            : <pre class="pre preview-text" data-testid="preview-text">{reply.html}</pre>}
      </div>
      {asPage && <p class="muted small preview-note">Sandboxed, apart from the IDE, whose policy applies inside it: scripts do not run and other sites' images do not load here. Open the page to see it as visitors do.</p>}
    </div>
  );
}
