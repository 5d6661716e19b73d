/**
 * The scripts page's side list (endpoints with their method, path and badges — runs as owner,
 * off — then modules; a dot marks unsaved text) and the list of problems that kept a save
 * from happening, each a link to its line and column.
 */
import type { ComponentChildren } from 'preact';
import { plural } from '../../lib/format.ts';
import { Button } from '../../components/Button.tsx';
import { OwnerWarning } from './ItemDialogs.tsx';
import { endpointKey, moduleKey, type EndpointInfo, type ModuleInfo, type Problem } from './model.ts';

export function ItemList({ endpoints, modules, selected, dirty, onPick, onNew }: {
  endpoints: EndpointInfo[]; modules: ModuleInfo[]; selected: string | null; dirty: Set<string>;
  onPick: (key: string) => void; onNew: (kind: 'new-endpoint' | 'new-module') => void;
}) {
  const entry = (key: string, label: ComponentChildren, extra: ComponentChildren, title: string) => (
    <li key={key}>
      <button type="button" class="item" aria-current={selected === key ? 'true' : undefined} onClick={() => onPick(key)} title={title}>
        {label}
        {dirty.has(key) && <span class="dirty-dot" aria-label="unsaved changes" title="unsaved changes">●</span>}
        {extra}
      </button>
    </li>
  );
  return (
    <nav class="script-list" aria-label="Endpoints and modules">
      <div class="list-head">
        <h2 id="endpoints-title">Endpoints</h2>
        <Button size="small" onClick={() => onNew('new-endpoint')} aria-keyshortcuts="n" title="New endpoint (n)">New</Button>
      </div>
      {endpoints.length === 0 ? <p class="muted small list-empty">None yet.</p> : (
        <ul aria-labelledby="endpoints-title">
          {endpoints.map((e) => entry(endpointKey(e.id),
            <><span class={`method method-${e.method.toLowerCase()}`}>{e.method}</span><span class="mono item-name">{e.path}</span></>,
            <span class="item-badges">
              {e.run_as === 'owner' && <OwnerWarning compact />}
              {!e.enabled && <span class="badge">off</span>}
            </span>, `${e.method} ${e.path} · ${e.access}${e.run_as === 'owner' ? ' · runs as owner' : ''}${e.enabled ? '' : ' · disabled'}`))}
        </ul>
      )}
      <div class="list-head">
        <h2 id="modules-title">Modules</h2>
        <Button size="small" onClick={() => onNew('new-module')}>New</Button>
      </div>
      {modules.length === 0 ? <p class="muted small list-empty">Shared code for <code>load()</code>.</p> : (
        <ul aria-labelledby="modules-title">
          {modules.map((m) => entry(moduleKey(m.name), <span class="mono item-name">{m.name}</span>, null, m.name))}
        </ul>
      )}
    </nav>
  );
}

export function Problems({ problems, onJump }: { problems: Problem[]; onJump: (p: Problem) => void }) {
  if (problems.length === 0) return null;
  return (
    <div class="problems" role="alert" data-testid="problems">
      <p class="problems-title">Not saved: {plural(problems.length, 'problem')} in the script</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}><button type="button" class="link-button" onClick={() => onJump(p)}>Line {p.line}, column {p.column}</button> {p.message}</li>
        ))}
      </ul>
    </div>
  );
}
