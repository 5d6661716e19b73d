/**
 * `/docs`: the API reference, read from `/openapi.json`. A filterable list of routes by tag
 * beside the operations themselves; the one error shape and every error code; how to
 * authenticate. Keyboard: `/` filters, `j`/`k` move between operations, `?` lists shortcuts.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { registerShortcut } from '../../lib/shortcuts.ts';
import { useLoad } from '../../lib/use-load.ts';
import { ShortcutHelp } from '../../components/ShortcutHelp.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { errorCodes, groupByTag, matches, type Document, type TagGroup } from './openapi.ts';
import { Operation } from './Operation.tsx';
import { Prose } from './Prose.tsx';

async function loadDocument(): Promise<Document> {
  const response = await fetch('/openapi.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The API document did not load (HTTP ${response.status}). Reload the page to try again.`);
  return response.json() as Promise<Document>;
}

/** Every error code the document mentions, with its status. */
function allCodes(groups: TagGroup[]): Array<[string, string]> {
  const codes = new Map<string, string>();
  for (const group of groups) for (const { op } of group.operations) {
    for (const [status, response] of Object.entries(op.responses ?? {})) for (const code of errorCodes(response)) codes.set(code, status);
  }
  return [...codes].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
}

function Sidebar({ groups, filter, setFilter, inputRef }: { groups: TagGroup[]; filter: string; setFilter: (v: string) => void; inputRef: { current: HTMLInputElement | null } }) {
  return (
    <nav class="doc-nav" aria-label="Routes">
      <label class="visually-hidden" for="doc-filter">Filter routes</label>
      <input id="doc-filter" ref={inputRef} type="search" placeholder="Filter routes ( / )" value={filter} autoComplete="off" spellcheck={false}
        onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => { if (e.key === 'Escape') { setFilter(''); (e.target as HTMLInputElement).blur(); } }} />
      {groups.map((group) => (
        <div key={group.name} class="doc-nav-group">
          <a class="doc-nav-tag" href={`#tag-${group.name}`}>{group.name}</a>
          <ul>
            {group.operations.map((o) => (
              <li key={o.id}><a href={`#${o.id}`}><span class={`doc-method doc-method-${o.method}`}>{o.method.toUpperCase()}</span> <span class="doc-nav-path">{o.path}</span></a></li>
            ))}
          </ul>
        </div>
      ))}
      {groups.length === 0 && <p class="muted small">No route matches “{filter}”.</p>}
    </nav>
  );
}

function Reference({ doc }: { doc: Document }) {
  const [filter, setFilter] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const all = useMemo(() => groupByTag(doc), [doc]);
  const text = filter.trim().toLowerCase();
  const groups = all.map((g) => ({ ...g, operations: g.operations.filter((o) => matches(o, text)) })).filter((g) => g.operations.length > 0);
  const codes = useMemo(() => allCodes(all), [all]);

  useEffect(() => {
    const move = (step: number) => () => {
      const headings = [...document.querySelectorAll<HTMLElement>('.doc-op-title')];
      if (headings.length === 0) return;
      const current = headings.findIndex((h) => h.getBoundingClientRect().top > 8);
      const from = current < 0 ? headings.length : current;
      const next = headings[Math.max(0, Math.min(headings.length - 1, step > 0 ? from + (document.activeElement === headings[from] ? 1 : 0) : from - 1))];
      next.focus();
      next.scrollIntoView({ block: 'start' });
    };
    const off = [
      registerShortcut({ keys: ['/'], description: 'Filter routes', group: 'Reference', run: () => inputRef.current?.focus() }),
      registerShortcut({ keys: ['j'], description: 'Next operation', group: 'Reference', run: move(1) }),
      registerShortcut({ keys: ['k'], description: 'Previous operation', group: 'Reference', run: move(-1) }),
    ];
    return () => off.forEach((fn) => fn());
  }, []);

  return (
    <div class="doc-layout">
      <Sidebar groups={groups} filter={filter} setFilter={setFilter} inputRef={inputRef} />
      <main class="doc-main" id="main">
        <header class="doc-intro">
          <h1>{doc.info.title} API <span class="badge">{doc.info.version}</span></h1>
          <p class="muted small">OpenAPI {doc.openapi} · <a href="/openapi.json">/openapi.json</a> · <a href="/">WCE home</a> · press <kbd>?</kbd> for shortcuts</p>
          {doc.info.description && <Prose text={doc.info.description} />}
          <details class="doc-codes">
            <summary>Every error code ({codes.length})</summary>
            <ul>{codes.map(([code, status]) => <li key={code}><span class="doc-status doc-status-error">{status}</span> <code>{code}</code></li>)}</ul>
          </details>
        </header>
        {groups.map((group) => (
          <section key={group.name} class="doc-tag" aria-labelledby={`tag-${group.name}`}>
            <h2 id={`tag-${group.name}`}>{group.name}</h2>
            {group.description && <p class="muted">{group.description}</p>}
            {group.operations.map((o) => <Operation key={o.id} operation={o} doc={doc} />)}
          </section>
        ))}
      </main>
    </div>
  );
}

export function DocsPage() {
  const load = useLoad(loadDocument);
  useEffect(() => { document.title = 'API reference · WCE'; }, []);
  // An anchor in the address (#post-cenv-sql) is reached once the operations exist.
  useEffect(() => {
    if (load.data && location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }, [load.data]);
  return (
    <>
      <a class="skip-link" href="#main">Skip to the reference</a>
      {load.error ? <div class="doc-state"><ErrorState error={load.error} retry={load.reload} /></div>
        : load.data ? <Reference doc={load.data} /> : <div class="doc-state"><Loading label="Loading the API reference…" /></div>}
      <ShortcutHelp />
    </>
  );
}
