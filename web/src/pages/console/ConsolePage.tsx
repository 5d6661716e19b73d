/**
 * `/{cenv}/console`: the SQL console. Monaco with SQL highlighting and completion of this
 * cenv's names; Ctrl/Cmd+Enter (or `:w` in vim mode) runs the selection or everything;
 * results in a grid with exports; errors marked where they are; EXPLAIN QUERY PLAN; a
 * history per user; and, for owners and admins, "run as" another user to see exactly what
 * that user's grants and row policies let them see.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../lib/api.ts';
import { boot, isAdmin } from '../../lib/boot.ts';
import { plural } from '../../lib/format.ts';
import { addHistory, clearHistory, loadHistory, type HistoryEntry } from '../../lib/history.ts';
import { registerShortcut } from '../../lib/shortcuts.ts';
import { useLoad } from '../../lib/use-load.ts';
import { CodeEditor, type EditorHandle } from '../../editor/CodeEditor.tsx';
import { registerSqlCompletion, type SchemaTable } from '../../editor/sql-completion.ts';
import { Button } from '../../components/Button.tsx';
import { Select } from '../../components/Field.tsx';
import { Shell } from '../../components/Shell.tsx';
import { Empty } from '../../components/States.tsx';
import { locate, plan, resultsOf, single, type SqlResult } from './run.ts';
import { ResultView } from './ResultView.tsx';
import { SidePanel } from './SidePanel.tsx';
import { WhyHidden, type Explanation } from './WhyHidden.tsx';

type Outcome =
  | { kind: 'ok'; results: SqlResult[]; ms: number; explain: boolean; asUser: string | null }
  | { kind: 'why'; explanation: Explanation }
  | { kind: 'error'; message: string; hint: string | null; line: number; ms: number };

const cenvId = boot.cenv?.id ?? '';
const userId = boot.user?.id ?? '';
const DRAFT_KEY = `wce:draft:${cenvId}:${userId}`;
const STARTER = '-- Ctrl/⌘+Enter runs the selection, or everything.\nSELECT name, type FROM pragma_table_list WHERE schema = \'main\' AND name NOT LIKE \'\\_%\' ESCAPE \'\\\';\n';

function initialSql(): string {
  return new URLSearchParams(location.search).get('sql') ?? localStorage.getItem(DRAFT_KEY) ?? STARTER;
}

function hintFor(error: ApiError): string | null {
  if (error.status === 403) return 'This needs a grant or a different role: owners and admins manage them on the Permissions page.';
  if (error.code === 'WCE_ERR_SQL_SYNTAX') return 'Fix the SQL at the underlined place and run again.';
  if (error.status === 504) return 'The statement took too long and was stopped. Add a WHERE or LIMIT, or an index.';
  if (error.status === 409) return 'A UNIQUE or PRIMARY KEY constraint refused the row.';
  return null;
}

export function ConsolePage() {
  const editor = useRef<EditorHandle | null>(null);
  const schema = useLoad(() => api<{ tables: SchemaTable[] }>('/schema').then((r) => r.tables));
  const schemaRef = useRef<SchemaTable[]>([]);
  schemaRef.current = schema.data ?? [];
  const users = useLoad(() => (isAdmin() ? api<{ users: Array<{ id: string; username: string; role: string }> }>('/admin/users').then((r) => r.users) : Promise.resolve([])));
  const [asUser, setAsUser] = useState('');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [shown, setShown] = useState(0);
  const [history, setHistory] = useState<HistoryEntry[]>(() => loadHistory(cenvId, userId));
  const draftTimer = useRef(0);

  useEffect(() => {
    const completion = registerSqlCompletion(() => schemaRef.current);
    const offs = [
      registerShortcut({ keys: ['Ctrl/⌘', 'Enter'], description: 'Run the selection, or everything', group: 'Console' }),
      registerShortcut({ keys: ['Ctrl/⌘', 'S'], description: 'Run (as :w does in vim mode)', group: 'Console' }),
      registerShortcut({ keys: ['e'], description: 'Focus the editor', group: 'Console', run: () => editor.current?.focus() }),
    ];
    return () => { completion.dispose(); offs.forEach((off) => off()); };
  }, []);

  const run = async (explain = false) => {
    const handle = editor.current;
    if (!handle || running) return;
    const selection = handle.selection();
    const sent = plan(selection?.text ?? handle.getValue(), selection?.start ?? 0, explain, handle.cursorOffset(), asUser || null);
    if (!sent) { setOutcome({ kind: 'error', message: 'There is no SQL to run.', hint: 'Type a statement, then press Ctrl/⌘+Enter.', line: 0, ms: 0 }); return; }
    handle.clearMarks();
    setRunning(true);
    const asName = asUser === 'anonymous' ? 'anonymous' : users.data?.find((u) => u.id === asUser)?.username ?? null;
    const started = performance.now();
    const sql = sent.pieces.map((p) => p.text).join(';\n');
    try {
      const results = resultsOf(await api<SqlResult | { results: SqlResult[] }>('/sql', { body: sent.body }));
      const ms = performance.now() - started;
      setOutcome({ kind: 'ok', results, ms, explain, asUser: asName });
      setShown(results.length - 1);
      const last = results[results.length - 1];
      const summary = last.columns.length > 0 ? plural(last.rows.length, 'row') : `${plural(last.changes, 'row')} changed`;
      if (!explain) setHistory(addHistory(cenvId, userId, { sql, at: new Date().toISOString(), ok: true, ms, summary, asUser: asName ?? undefined }));
      if (/^\s*(create|drop|alter)\b/im.test(sql)) void schema.reload();
    } catch (e) {
      const ms = performance.now() - started;
      if (!(e instanceof ApiError)) throw e;
      const where = locate(e, sent);
      handle.markError(where.start, where.end, where.message);
      const line = handle.editor.getModel()!.getPositionAt(where.start).lineNumber;
      setOutcome({ kind: 'error', message: where.message, hint: hintFor(e), line, ms });
      if (!explain) setHistory(addHistory(cenvId, userId, { sql, at: new Date().toISOString(), ok: false, ms, summary: where.message, asUser: asName ?? undefined }));
    } finally {
      setRunning(false);
    }
  };

  // "Why hidden?": the statement at the cursor explained for the user picked in "Run as".
  const whyHidden = async () => {
    const handle = editor.current;
    if (!handle || running || !asUser) return;
    const selection = handle.selection();
    const sent = single(selection?.text ?? handle.getValue(), selection?.start ?? 0, handle.cursorOffset());
    if (!sent) { setOutcome({ kind: 'error', message: 'There is no statement to explain.', hint: 'Type a SELECT, INSERT, UPDATE or DELETE, then press Why hidden?', line: 0, ms: 0 }); return; }
    handle.clearMarks();
    setRunning(true);
    const started = performance.now();
    try {
      const explanation = await api<Explanation>('/admin/explain', { body: { sql: sent.pieces[0].text, as_user: asUser } });
      setOutcome({ kind: 'why', explanation });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const where = locate(e, sent);
      handle.markError(where.start, where.end, where.message);
      const line = handle.editor.getModel()!.getPositionAt(where.start).lineNumber;
      setOutcome({ kind: 'error', message: where.message, hint: hintFor(e), line, ms: performance.now() - started });
    } finally {
      setRunning(false);
    }
  };

  // The editor's text survives a reload: saved shortly after typing stops, and when the page goes.
  const saveDraft = () => {
    clearTimeout(draftTimer.current);
    const value = editor.current?.getValue();
    if (value !== undefined) try { localStorage.setItem(DRAFT_KEY, value); } catch { /* storage off */ }
  };
  const onChange = () => {
    clearTimeout(draftTimer.current);
    draftTimer.current = window.setTimeout(saveDraft, 400);
  };
  useEffect(() => {
    window.addEventListener('pagehide', saveDraft);
    return () => window.removeEventListener('pagehide', saveDraft);
  }, []);

  const runAsOptions = [
    { value: '', label: `yourself (${boot.user?.role})` },
    ...(users.data ?? []).filter((u) => u.id !== userId).map((u) => ({ value: u.id, label: `${u.username} (${u.role})` })),
    { value: 'anonymous', label: 'anonymous (not logged in)' },
  ];

  return (
    <Shell title="SQL console" full>
      <div class="console">
        <SidePanel schema={schema.data} schemaError={schema.error} reloadSchema={() => void schema.reload()} history={history}
          onInsert={(text) => editor.current?.insert(text)}
          onPick={(sql) => { editor.current?.setValue(sql); editor.current?.focus(); }}
          onClearHistory={() => { clearHistory(cenvId, userId); setHistory([]); }} />
        <section class="console-work" aria-label="Query">
          <div class="toolbar">
            <Button variant="primary" busy={running} onClick={() => void run()} aria-keyshortcuts="Control+Enter" title="Run the selection, or everything (Ctrl/⌘+Enter)">Run</Button>
            <Button onClick={() => void run(true)} disabled={running} title="Show how SQLite runs the statement at the cursor">Explain query plan</Button>
            {isAdmin() && (
              <div class="run-as-group">
                <Select id="run-as" label="Run as" value={asUser} onValue={setAsUser} options={runAsOptions} class="run-as" />
                <Button onClick={() => void whyHidden()} disabled={running || !asUser}
                  title={asUser ? 'For the statement at the cursor: the rows this user does not get, and the policy that hid each' : 'Pick a user in Run as first'}>Why hidden?</Button>
              </div>
            )}
          </div>
          <div class="editor-pane">
            <CodeEditor language="sql" value={initialSql()} label="SQL editor" onRun={() => void run()} onSave={() => void run()} onChange={onChange} saveLabel="runs the query"
              onReady={(handle) => { editor.current = handle; handle.focus(); requestAnimationFrame(() => performance.mark('wce:console-ready')); }} />
          </div>
          <div class="result-pane" data-testid="result-pane">
            {outcome === null ? (
              <Empty title="Run a query to see its result">Results appear here with their row count and time. <kbd>?</kbd> lists the shortcuts.</Empty>
            ) : outcome.kind === 'error' ? (
              <div class="sql-error" role="alert" data-testid="sql-error">
                <p class="sql-error-title">{outcome.line > 0 ? `Error on line ${outcome.line}` : 'Nothing ran'}</p>
                <p class="mono">{outcome.message}</p>
                {outcome.hint && <p class="muted">{outcome.hint}</p>}
              </div>
            ) : outcome.kind === 'why' ? <WhyHidden x={outcome.explanation} /> : (
              <>
                {outcome.results.length > 1 && (
                  <div class="result-tabs" role="group" aria-label="Results of each statement">
                    {outcome.results.map((_, i) => <button key={i} type="button" class="btn btn-small" aria-pressed={shown === i} onClick={() => setShown(i)}>Statement {i + 1}</button>)}
                  </div>
                )}
                <ResultView result={outcome.results[shown]} ms={outcome.ms} explain={outcome.explain} asUser={outcome.asUser} name={`${boot.cenv?.name ?? 'result'}-query`} />
              </>
            )}
          </div>
        </section>
      </div>
    </Shell>
  );
}
