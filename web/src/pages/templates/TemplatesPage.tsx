/**
 * `/{cenv}/editor/templates`: the cenv's page templates. A list on the left; the picked
 * template's source in Monaco (Liquid or Markdown) with its named queries beneath; on the
 * right its live preview, re-rendered a moment after each change in a sandboxed frame, and
 * the cache status of its pages. Save (Ctrl/Cmd+S or vim's `:w`) checks the template and
 * its queries and marks a refused line or query; versions show a diff and restore.
 *
 * Unsaved text and queries are kept per template while you move between them, and the page
 * asks before it is closed with unsaved changes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { boot } from '../../lib/boot.ts';
import { formatAgo, formatTime, sentence, userNameIn } from '../../lib/format.ts';
import { registerShortcut } from '../../lib/shortcuts.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useUnsavedWarning } from '../../lib/unsaved.ts';
import { CodeEditor, type EditorHandle } from '../../editor/CodeEditor.tsx';
import { VersionsDialog } from '../../editor/VersionsDialog.tsx';
import 'monaco-editor/languages/definitions/liquid/register';
import 'monaco-editor/languages/definitions/markdown/register';
import { Button } from '../../components/Button.tsx';
import { Shell } from '../../components/Shell.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { toast } from '../../components/Toast.tsx';
import {
  draftOf, isPartial, languageOf, paramsOf, queriesOf, rowsOf, sameDraft, saveProblemOf,
  type Draft, type PreviewReply, type SaveProblem, type StoredQuery, type Template, type TemplateInfo,
} from './model.ts';
import { PagesPanel, pageUrl } from './PagesPanel.tsx';
import { TemplateList } from './TemplateList.tsx';
import { PreviewPanel } from './PreviewPanel.tsx';
import { QueriesEditor } from './QueriesEditor.tsx';
import { TemplateDialog } from './TemplateDialog.tsx';

type DialogKind = 'new' | 'settings' | 'versions' | null;

function idFromUrl(): number | null {
  const id = new URLSearchParams(location.search).get('template');
  return id && /^\d+$/.test(id) ? Number(id) : null;
}

export function TemplatesPage() {
  const list = useLoad(() => api<{ templates: TemplateInfo[] }>('/admin/templates').then((r) => r.templates));
  const users = useLoad(() => api<{ users: Array<{ id: string; username: string; role: string }> }>('/admin/users').then((r) => r.users));
  const [selected, setSelected] = useState<number | null>(idFromUrl);
  const [template, setTemplate] = useState<Template | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [dirty, setDirty] = useState<Set<number>>(new Set());
  const [problem, setProblem] = useState<SaveProblem | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [tab, setTab] = useState<'preview' | 'pages'>('preview');
  const [saving, setSaving] = useState(false);
  const editor = useRef<EditorHandle | null>(null);
  const templateRef = useRef<Template | null>(null);
  const drafts = useRef(new Map<number, Draft>());
  const draftRef = useRef<Draft | null>(null);
  draftRef.current = draft;

  const markDirty = (id: number, on: boolean) => setDirty((set) => {
    if (set.has(id) === on) return set;
    const next = new Set(set);
    if (on) next.add(id); else next.delete(id);
    return next;
  });

  /** Takes `next` as the editor's draft: kept per template, marked dirty when it differs from the saved one. */
  const updateDraft = (next: Draft) => {
    const t = templateRef.current;
    if (!t) return;
    draftRef.current = next;
    setDraft(next);
    const changed = !sameDraft(next, draftOf(t));
    if (changed) drafts.current.set(t.id, next); else drafts.current.delete(t.id);
    markDirty(t.id, changed);
  };

  /** Shows `t` (after a load, a save or a restore). */
  const show = (t: Template, replaceText: boolean) => {
    templateRef.current = t;
    setTemplate(t);
    if (replaceText) {
      const next = drafts.current.get(t.id) ?? draftOf(t);
      // Before setValue: the editor's change event reads the draft of the template now shown.
      draftRef.current = next;
      setDraft(next);
      setProblem(null);
      if (editor.current) { editor.current.setValue(next.source, 'start'); editor.current.clearMarks(); }
    }
  };

  useEffect(() => {
    if (!list.data) return;
    // Pages before partials: the first page (`index` when there is one) is where one starts.
    if (selected === null || !list.data.some((t) => t.id === selected)) setSelected((list.data.find((t) => !isPartial(t.path)) ?? list.data[0])?.id ?? null);
  }, [list.data]);

  useEffect(() => {
    if (selected === null) { templateRef.current = null; setTemplate(null); setDraft(null); return; }
    history.replaceState(null, '', `?template=${selected}`);
    let live = true;
    setLoadError(null);
    api<Template>(`/admin/templates/${selected}`).then((t) => { if (live) show(t, true); }, (e: Error) => { if (live) setLoadError(e); });
    return () => { live = false; };
  }, [selected]);

  const save = async () => {
    const t = templateRef.current;
    const d = draftRef.current;
    const h = editor.current;
    if (!t || !d || !h || saving) return;
    const sent: Draft = { source: h.getValue(), queries: d.queries };
    const names = sent.queries.map((q) => q.name.trim());
    const blank = sent.queries.findIndex((q) => !q.name.trim());
    if (blank >= 0) { setProblem({ message: 'Give this query a name: its rows become the variable of that name.', line: null, column: null, query: '' }); return; }
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) { setProblem({ message: `Two queries are named ${twice}; names must differ.`, line: null, column: null, query: twice }); return; }
    setSaving(true);
    try {
      const saved = await api<Template>(`/admin/templates/${t.id}`, { method: 'PUT', body: { source: sent.source, queries: queriesOf(sent.queries) } });
      // The server normalises queries; keep what is typed if it changed meanwhile.
      const current: Draft = { source: h.getValue(), queries: draftRef.current?.queries ?? sent.queries };
      templateRef.current = saved;
      setTemplate(saved);
      const still = !sameDraft(current, draftOf(saved)) && !sameDraft(current, sent);
      if (still) drafts.current.set(saved.id, current); else { drafts.current.delete(saved.id); setDraft(draftOf(saved)); }
      markDirty(saved.id, still);
      h.clearMarks();
      setProblem(null);
      toast(saved.version === t.version ? 'Saved (nothing had changed)' : `Saved as version ${saved.version}; its pages render again`);
      void list.reload();
    } catch (e) {
      const found = saveProblemOf(e);
      if (!found) { toast(`Not saved: ${sentence((e as Error).message)}`, 'error'); return; }
      setProblem(found);
      if (!found.query && found.line) h.markErrors([{ line: found.line, column: found.column ?? 1, message: found.message }]);
    } finally {
      setSaving(false);
    }
  };

  const setEnabled = async (enabled: boolean) => {
    const t = templateRef.current;
    if (!t) return;
    try {
      const saved = await api<Template>(`/admin/templates/${t.id}`, { method: 'PUT', body: { enabled } });
      show({ ...saved, source: t.source, queries: t.queries }, false);
      toast(enabled ? `${t.path} is served` : `${t.path} is off: its pages are taken down`);
      void list.reload();
    } catch (e) {
      toast(`Not changed: ${sentence((e as Error).message)}`, 'error');
    }
  };

  // A render error of the preview is underlined in the source without moving the cursor.
  const onRendered = (error: PreviewReply['error'] | null) => {
    if (!editor.current || problem) return;
    if (error?.line && !error.query) editor.current.markErrors([{ line: error.line, column: 1, message: error.message }], false);
    else editor.current.clearMarks();
  };

  useEffect(() => {
    const offs = [
      registerShortcut({ keys: ['Ctrl/⌘', 'S'], description: 'Save (as :w does in vim mode)', group: 'Templates' }),
      registerShortcut({ keys: ['n'], description: 'New template', group: 'Templates', run: () => setDialog('new') }),
      registerShortcut({ keys: ['e'], description: 'Focus the editor', group: 'Templates', run: () => editor.current?.focus() }),
      registerShortcut({ keys: ['v'], description: 'Version history', group: 'Templates', run: () => { if (templateRef.current) setDialog('versions'); } }),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  useUnsavedWarning(() => drafts.current.size > 0);

  const userName = (id: string | null) => userNameIn(users.data, id);
  const templates = list.data;

  let work;
  if (list.error && !templates) work = <ErrorState error={list.error} retry={list.reload} title="The templates did not load" />;
  else if (!templates) work = <Loading label="Loading templates…" />;
  else if (templates.length === 0) {
    work = (
      <Empty title="No templates yet" action={<Button variant="primary" onClick={() => setDialog('new')}>New template</Button>}>
        A template is a page of the app at <code>/{boot.cenv?.ref}/pages/…</code>: Liquid or Markdown filled from named SQL queries, rendered once
        and kept fresh as writes change what it read. <code>index</code> is the front page.
      </Empty>
    );
  } else if (loadError) work = <ErrorState error={loadError} retry={() => { const s = selected; setSelected(null); setTimeout(() => setSelected(s)); }} title="This template did not load" />;
  else if (!template || !draft) work = <Loading label="Opening…" />;
  else {
    const served = !isPartial(template.path) && paramsOf(template.path).length === 0;
    work = (
      <>
        <div class="script-head">
          <div class="script-title">
            <h2 class="mono">{template.path}</h2>
            {template.syntax === 'markdown' && <span class="badge">markdown</span>}
            {template.content_type !== 'text/html' && <span class="badge">{template.content_type}</span>}
            {isPartial(template.path) && <span class="badge" title="Never served; included by other templates">partial</span>}
          </div>
          <div class="script-actions">
            <label class="switch" title={template.enabled ? 'Its pages are served' : 'Off: its pages answer 404'}>
              <input type="checkbox" role="switch" checked={template.enabled} onChange={(e) => void setEnabled((e.target as HTMLInputElement).checked)} /> Enabled
            </label>
            <Button size="small" onClick={() => setDialog('versions')} aria-keyshortcuts="v">Versions</Button>
            <Button size="small" onClick={() => setDialog('settings')}>Settings</Button>
            <Button size="small" variant="primary" busy={saving} onClick={() => void save()} aria-keyshortcuts="Control+S" title="Save (Ctrl/⌘+S, or :w in vim mode)">Save</Button>
          </div>
        </div>
        <p class="script-sub muted small" data-testid="save-state">
          {dirty.has(template.id) ? <span class="unsaved">Unsaved changes</span> : <span>Saved</span>}
          {' · '}version {template.version} · <span title={formatTime(template.updated_at)}>changed {formatAgo(template.updated_at)}</span>
          {served && <> · <a class="mono" href={pageUrl(template.path)} target="_blank" rel="noopener noreferrer" title="Open the page in a new tab">{location.origin}{pageUrl(template.path)}</a></>}
        </p>
        {problem && (
          <div class="problems" role="alert" data-testid="problems">
            <p class="problems-title">
              Not saved{problem.query !== null ? (problem.query ? `: query ${problem.query}` : ': a query') : problem.line ? `: line ${problem.line}${problem.column ? `, column ${problem.column}` : ''}` : ''}
            </p>
            <p>{sentence(problem.message)}</p>
          </div>
        )}
        <div class="template-editors">
          <div class="editor-pane script-editor">
            <CodeEditor key={template.syntax} language={languageOf(template.syntax)} value={draft.source} label={`Source of ${template.path}`}
              onChange={(text) => updateDraft({ source: text, queries: draftRef.current?.queries ?? [] })} onSave={() => void save()} saveLabel="saves"
              onReady={(h) => { editor.current = h; }} />
          </div>
          <QueriesEditor queries={draft.queries} params={paramsOf(template.path)} onChange={(queries) => updateDraft({ source: editor.current?.getValue() ?? draft.source, queries })}
            problem={problem?.query ? { query: problem.query, message: sentence(problem.message) } : null} />
        </div>
      </>
    );
  }

  const side = template && draft ? (
    <Tabs id="template-side" label="Preview and pages" tabs={[{ id: 'preview', label: 'Preview' }, { id: 'pages', label: 'Pages' }]} selected={tab} onSelect={setTab}>
      {tab === 'preview'
        ? <PreviewPanel key={template.id + template.path} path={template.path} syntax={template.syntax} contentType={template.content_type} draft={draft}
          users={users.data ?? []} onRendered={onRendered} />
        : <PagesPanel templateId={template.id} path={template.path} version={template.version} />}
    </Tabs>
  ) : null;

  return (
    <Shell title="Templates" full>
      <div class="scripts templates">
        <TemplateList templates={templates} selected={selected} dirty={dirty} onPick={setSelected} onNew={() => setDialog('new')} />
        <section class="script-work" aria-label="Template">{work}</section>
        <aside class="script-side preview-side" aria-label="Preview and pages">{side}</aside>
      </div>
      {dialog === 'new' && <TemplateDialog template={null} onClose={() => setDialog(null)} onSaved={(t) => { void list.reload(); setSelected(t.id); }} />}
      {dialog === 'settings' && template && (
        <TemplateDialog template={template} onClose={() => setDialog(null)}
          onSaved={(t) => { show({ ...t, source: template.source, queries: template.queries }, false); void list.reload(); }}
          onDeleted={() => { drafts.current.delete(template.id); markDirty(template.id, false); setSelected(null); void list.reload(); }} />
      )}
      {dialog === 'versions' && template && (
        <VersionsDialog open title={`Versions of ${template.path}`} base={`/admin/templates/${template.id}`} language={languageOf(template.syntax)} userName={userName}
          current={{ version: template.version, text: editor.current?.getValue() ?? template.source, dirty: dirty.has(template.id) }}
          notesOf={(v) => {
            const meta = (v.meta ?? {}) as { queries?: Record<string, StoredQuery>; path?: string; content_type?: string; syntax?: string };
            const mine = draft?.queries ?? rowsOf(template.queries);
            const theirs = rowsOf(meta.queries ?? {});
            const notes: string[] = [];
            if (JSON.stringify(theirs) !== JSON.stringify(mine)) notes.push(`Its queries differ (${theirs.map((q) => q.name).join(', ') || 'none'}); a restore brings them back.`);
            if (meta.path && meta.path !== template.path) notes.push(`It was saved at the path ${meta.path}; a restore moves the template back there.`);
            return notes;
          }}
          onClose={() => setDialog(null)}
          onRestored={(reply) => {
            const t = reply as Template;
            drafts.current.delete(t.id);
            markDirty(t.id, false);
            show(t, true);
            toast(`Restored as version ${t.version}`);
            void list.reload();
          }} />
      )}
    </Shell>
  );
}
