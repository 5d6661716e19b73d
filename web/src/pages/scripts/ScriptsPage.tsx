/**
 * `/{cenv}/editor/scripts`: the Starlark endpoints and modules of the cenv. A list on the
 * left; the picked item in Monaco (Starlark highlighting, completion of WCE's names) with
 * save (Ctrl/Cmd+S or vim's `:w`; syntax errors marked at their line and column), version
 * history with a diff and restore, enable/disable and settings; on the right, a test run of
 * the editor's text and the endpoint's recent runs. An endpoint that runs as the owner says
 * so in the list and above the editor.
 *
 * Unsaved text is kept per item while you move between them (a dot marks it) and the page
 * asks before it is closed with unsaved changes.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { boot } from '../../lib/boot.ts';
import { formatAgo, formatTime, sentence, userNameIn } from '../../lib/format.ts';
import { registerShortcut } from '../../lib/shortcuts.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useUnsavedWarning } from '../../lib/unsaved.ts';
import { CodeEditor, type EditorHandle } from '../../editor/CodeEditor.tsx';
import { registerStarlark, STARLARK } from '../../editor/starlark.ts';
import { VersionsDialog } from '../../editor/VersionsDialog.tsx';
import { Button } from '../../components/Button.tsx';
import { Shell } from '../../components/Shell.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { toast } from '../../components/Toast.tsx';
import { deleteModule, EndpointDialog, ModuleDialog, OwnerWarning } from './ItemDialogs.tsx';
import {
  apiUrl, endpointKey, itemPath, keyFromUrl, moduleKey, problemsOf, urlFor, sourceOf, titleOf, versionOf,
  type Endpoint, type EndpointInfo, type Item, type ModuleInfo, type Problem, type RunError, type ScriptModule,
} from './model.ts';
import { ItemList, Problems } from './ItemList.tsx';
import { RunsPanel } from './RunsPanel.tsx';
import { TestPanel, type TestUser } from './TestPanel.tsx';

// Completion of `load("…")` reads the saved module names from here.
const moduleNames: { current: string[] } = { current: [] };
registerStarlark(() => moduleNames.current);

type DialogKind = 'new-endpoint' | 'new-module' | 'settings' | 'versions' | null;

async function loadLists() {
  const [e, m] = await Promise.all([api<{ endpoints: EndpointInfo[] }>('/admin/endpoints'), api<{ modules: ModuleInfo[] }>('/admin/modules')]);
  return { endpoints: e.endpoints, modules: m.modules };
}

export function ScriptsPage() {
  const lists = useLoad(loadLists);
  const users = useLoad(() => api<{ users: TestUser[] }>('/admin/users').then((r) => r.users));
  const [selected, setSelected] = useState<string | null>(keyFromUrl);
  const [item, setItem] = useState<Item | null>(null);
  const [itemError, setItemError] = useState<Error | null>(null);
  const [dirty, setDirty] = useState<Set<string>>(new Set());
  const [problems, setProblems] = useState<Problem[]>([]);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [tab, setTab] = useState<'test' | 'runs'>('test');
  const [saving, setSaving] = useState(false);
  const editor = useRef<EditorHandle | null>(null);
  const itemRef = useRef<Item | null>(null);
  const drafts = useRef(new Map<string, string>());
  const testRun = useRef<() => void>(() => {});

  moduleNames.current = lists.data?.modules.map((m) => m.name) ?? [];
  const isOwner = boot.user?.role === 'owner';
  const readOnly = item?.kind === 'endpoint' && item.endpoint.run_as === 'owner' && !isOwner;

  const markDirty = (key: string, on: boolean) => setDirty((set) => {
    if (set.has(key) === on) return set;
    const next = new Set(set);
    if (on) next.add(key); else next.delete(key);
    return next;
  });

  /** Shows `it` (after a load, a save or a restore), with its unsaved text if it has some. */
  const show = (it: Item, replaceText: boolean) => {
    itemRef.current = it;
    setItem(it);
    if (replaceText && editor.current) {
      editor.current.setValue(drafts.current.get(it.key) ?? sourceOf(it), 'start');
      editor.current.clearMarks();
      setProblems([]);
    }
  };

  // Nothing picked (or the picked one is gone): the first endpoint, else the first module.
  useEffect(() => {
    const data = lists.data;
    if (!data) return;
    const keys = [...data.endpoints.map((e) => endpointKey(e.id)), ...data.modules.map((m) => moduleKey(m.name))];
    if (selected === null || !keys.includes(selected)) setSelected(keys[0] ?? null);
  }, [lists.data]);

  useEffect(() => {
    if (selected === null) { itemRef.current = null; setItem(null); return; }
    history.replaceState(null, '', urlFor(selected));
    let live = true;
    setItemError(null);
    api<Endpoint | ScriptModule>(itemPath(selected)).then((data) => {
      if (!live) return;
      const it: Item = selected.startsWith('e:') ? { kind: 'endpoint', key: selected, endpoint: data as Endpoint } : { kind: 'module', key: selected, module: data as ScriptModule };
      show(it, true);
    }, (e: Error) => { if (live) setItemError(e); });
    return () => { live = false; };
  }, [selected]);

  const onChange = (text: string) => {
    const it = itemRef.current;
    if (!it) return;
    if (text === sourceOf(it)) drafts.current.delete(it.key); else drafts.current.set(it.key, text);
    markDirty(it.key, text !== sourceOf(it));
  };

  const save = async () => {
    const it = itemRef.current;
    const h = editor.current;
    if (!it || !h || saving) return;
    if (readOnly) { toast('Only the owner may change an endpoint that runs as the owner.', 'error'); return; }
    const text = h.getValue();
    setSaving(true);
    try {
      const saved = await api<Endpoint | ScriptModule>(itemPath(it.key), { method: 'PUT', body: { source: text } });
      const next: Item = it.kind === 'endpoint' ? { ...it, endpoint: saved as Endpoint } : { ...it, module: saved as ScriptModule };
      if (h.getValue() === sourceOf(next)) { drafts.current.delete(it.key); markDirty(it.key, false); }
      show(next, false);
      h.clearMarks();
      setProblems([]);
      toast(versionOf(next) === versionOf(it) ? 'Saved (nothing had changed)' : `Saved as version ${versionOf(next)}`);
      void lists.reload();
    } catch (e) {
      const found = problemsOf(e);
      if (found) {
        h.markErrors(found);
        setProblems(found);
      } else {
        toast(`Not saved: ${sentence((e as Error).message)}`, 'error');
      }
    } finally {
      setSaving(false);
    }
  };

  const setEnabled = async (enabled: boolean) => {
    const it = itemRef.current;
    if (it?.kind !== 'endpoint') return;
    try {
      const saved = await api<Endpoint>(itemPath(it.key), { method: 'PUT', body: { enabled } });
      show({ ...it, endpoint: { ...saved, source: it.endpoint.source } }, false);
      toast(enabled ? `${titleOf(it)} is live` : `${titleOf(it)} is off: callers get 404`);
      void lists.reload();
    } catch (e) {
      toast(`Not changed: ${sentence((e as Error).message)}`, 'error');
    }
  };

  const showRunError = (error: RunError | null) => {
    if (!editor.current) return;
    if (error?.line) editor.current.markErrors([{ line: error.line, column: error.column ?? 1, message: error.message }]);
    else editor.current.clearMarks();
  };

  const pick = (key: string) => { if (key !== selected) setSelected(key); };

  useEffect(() => {
    const offs = [
      registerShortcut({ keys: ['Ctrl/⌘', 'S'], description: 'Save (as :w does in vim mode)', group: 'Scripts' }),
      registerShortcut({ keys: ['Ctrl/⌘', 'Enter'], description: 'Test the editor\'s text', group: 'Scripts' }),
      registerShortcut({ keys: ['n'], description: 'New endpoint', group: 'Scripts', run: () => setDialog('new-endpoint') }),
      registerShortcut({ keys: ['e'], description: 'Focus the editor', group: 'Scripts', run: () => editor.current?.focus() }),
      registerShortcut({ keys: ['v'], description: 'Version history', group: 'Scripts', run: () => { if (itemRef.current) setDialog('versions'); } }),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  useUnsavedWarning(() => drafts.current.size > 0);

  const userName = (id: string | null) => userNameIn(users.data, id);
  const data = lists.data;

  let work: ComponentChildren;
  if (lists.error && !data) work = <ErrorState error={lists.error} retry={lists.reload} title="The scripts did not load" />;
  else if (!data) work = <Loading label="Loading scripts…" />;
  else if (data.endpoints.length === 0 && data.modules.length === 0) {
    work = (
      <Empty title="No endpoints yet" action={<Button variant="primary" onClick={() => setDialog('new-endpoint')}>New endpoint</Button>}>
        An endpoint is a Starlark function, <code>def handle(req):</code>, answering HTTP requests at <code>/{boot.cenv?.ref}/api/…</code>.
        It reads and writes your tables as the caller, under their grants and row policies.
      </Empty>
    );
  } else if (itemError) work = <ErrorState error={itemError} retry={() => { const s = selected; setSelected(null); setTimeout(() => setSelected(s)); }} title="This script did not load" />;
  else if (!item) work = <Loading label="Opening…" />;
  else {
    const endpoint = item.kind === 'endpoint' ? item.endpoint : null;
    const updated = endpoint ?? (item.kind === 'module' ? item.module : null);
    work = (
      <>
        <div class="script-head">
          <div class="script-title">
            {endpoint ? (
              <>
                <span class={`method method-${endpoint.method.toLowerCase()}`}>{endpoint.method}</span>
                <h2 class="mono">{endpoint.path}</h2>
                <span class="badge" title="Who may call it">{endpoint.access}</span>
                {endpoint.run_as === 'owner' && <OwnerWarning compact />}
              </>
            ) : <h2 class="mono">{item.kind === 'module' ? item.module.name : ''}</h2>}
          </div>
          <div class="script-actions">
            {endpoint && (
              <label class="switch" title={endpoint.enabled ? 'Callers reach it' : 'Off: callers get 404'}>
                <input type="checkbox" role="switch" checked={endpoint.enabled} onChange={(e) => void setEnabled((e.target as HTMLInputElement).checked)} /> Enabled
              </label>
            )}
            <Button size="small" onClick={() => setDialog('versions')} aria-keyshortcuts="v">Versions</Button>
            {endpoint
              ? <Button size="small" onClick={() => setDialog('settings')}>Settings</Button>
              : <Button size="small" variant="danger" onClick={() => void deleteModule(item.key.slice(2)).then((ok) => { if (ok) { drafts.current.delete(item.key); markDirty(item.key, false); setSelected(null); void lists.reload(); } })}>Delete</Button>}
            <Button size="small" variant="primary" busy={saving} disabled={readOnly} onClick={() => void save()} aria-keyshortcuts="Control+S" title="Save (Ctrl/⌘+S, or :w in vim mode)">Save</Button>
          </div>
        </div>
        <p class="script-sub muted small" data-testid="save-state">
          {dirty.has(item.key) ? <span class="unsaved">Unsaved changes</span> : <span>Saved</span>}
          {' · '}version {versionOf(item)}{updated && <> · <span title={formatTime(updated.updated_at)}>changed {formatAgo(updated.updated_at)}</span></>}
          {endpoint && <> · {/^(GET|ANY)$/.test(endpoint.method) && !/[:*]/.test(endpoint.path)
            ? <a class="mono" href={apiUrl(endpoint.path)} target="_blank" rel="noopener noreferrer" title="Open in a new tab">{apiUrl(endpoint.path)}</a>
            : <span class="mono" title="Where callers reach it">{apiUrl(endpoint.path)}</span>}</>}
        </p>
        {endpoint?.run_as === 'owner' && <OwnerWarning />}
        {readOnly && <p class="callout">Only the owner may change this endpoint; you may disable or delete it (Settings).</p>}
        <Problems problems={problems} onJump={(p) => { editor.current?.markErrors([p, ...problems.filter((q) => q !== p)]); editor.current?.focus(); }} />
        <div class="editor-pane script-editor">
          <CodeEditor language={STARLARK} value={drafts.current.get(item.key) ?? sourceOf(item)} label={`Starlark source of ${titleOf(item)}`}
            onChange={onChange} onSave={() => void save()} onRun={() => testRun.current()} readOnly={readOnly} saveLabel="saves"
            onReady={(h) => { editor.current = h; }} />
        </div>
      </>
    );
  }

  const side = item?.kind === 'endpoint' ? (
    <Tabs id="script-side" label="Test and runs" tabs={[{ id: 'test', label: 'Test' }, { id: 'runs', label: 'Runs' }]} selected={tab} onSelect={setTab}>
      {tab === 'test'
        ? <TestPanel key={`${item.key}:${item.endpoint.method}:${item.endpoint.path}`} endpoint={item.endpoint} users={users.data ?? []}
          getSource={() => editor.current?.getValue() ?? sourceOf(item)} register={(fn) => { testRun.current = fn; }}
          onProblems={(p) => { setProblems(p); if (p.length) editor.current?.markErrors(p); }} onRunError={showRunError} />
        : <RunsPanel endpointId={item.endpoint.id} onShowError={(error) => { showRunError(error); editor.current?.focus(); }} />}
    </Tabs>
  ) : item?.kind === 'module' ? (
    <div class="module-help">
      <h2>Using this module</h2>
      <p>An endpoint binds its names with</p>
      <pre class="pre">{`load("${item.module.name}", "name")`}</pre>
      <p class="muted small">Endpoints that load it use its current version from their next request. It cannot be deleted while something loads it.</p>
    </div>
  ) : null;

  const endpointItem = item?.kind === 'endpoint' ? item.endpoint : null;
  return (
    <Shell title="Scripts" full>
      <div class="scripts">
        {data ? <ItemList endpoints={data.endpoints} modules={data.modules} selected={selected} dirty={dirty} onPick={pick} onNew={setDialog} /> : <div class="script-list" />}
        <section class="script-work" aria-label="Script">{work}</section>
        <aside class="script-side" aria-label={item?.kind === 'endpoint' ? 'Test and runs' : 'Module'}>{side}</aside>
      </div>
      {dialog === 'new-endpoint' && (
        <EndpointDialog endpoint={null} open onClose={() => setDialog(null)}
          onSaved={(e) => { void lists.reload(); setSelected(endpointKey(e.id)); }} />
      )}
      {dialog === 'settings' && endpointItem && (
        <EndpointDialog endpoint={endpointItem} open onClose={() => setDialog(null)}
          onSaved={(e) => { if (item) show({ kind: 'endpoint', key: item.key, endpoint: { ...e, source: endpointItem.source } }, false); void lists.reload(); }}
          onDeleted={() => { if (item) { drafts.current.delete(item.key); markDirty(item.key, false); } setSelected(null); void lists.reload(); }} />
      )}
      {dialog === 'new-module' && (
        <ModuleDialog open onClose={() => setDialog(null)} onSaved={(m) => { void lists.reload(); setSelected(moduleKey(m.name)); }} />
      )}
      {dialog === 'versions' && item && (
        <VersionsDialog open title={`Versions of ${titleOf(item)}`} base={itemPath(item.key)} language={STARLARK} userName={userName}
          current={{ version: versionOf(item), text: editor.current?.getValue() ?? sourceOf(item), dirty: dirty.has(item.key) }}
          onClose={() => setDialog(null)}
          onRestored={(reply) => {
            const next: Item = item.kind === 'endpoint' ? { ...item, endpoint: reply as Endpoint } : { ...item, module: reply as ScriptModule };
            drafts.current.delete(item.key);
            markDirty(item.key, false);
            show(next, true);
            toast(`Restored as version ${versionOf(next)}`);
            void lists.reload();
          }} />
      )}
    </Shell>
  );
}
