/**
 * The console's side panel: the schema (tables and columns the caller may read; a click
 * inserts the name) and the query history (newest first; a click puts the query back in
 * the editor). Tabs follow the ARIA tabs pattern.
 */
import { useState } from 'preact/hooks';
import { formatAgo, formatDuration } from '../../lib/format.ts';
import type { HistoryEntry } from '../../lib/history.ts';
import type { SchemaTable } from '../../editor/sql-completion.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';

export interface SidePanelProps {
  schema: SchemaTable[] | undefined;
  schemaError: Error | undefined;
  reloadSchema: () => void;
  history: HistoryEntry[];
  onInsert: (text: string) => void;
  onPick: (sql: string) => void;
  onClearHistory: () => void;
}

function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function SchemaTree({ schema, onInsert }: { schema: SchemaTable[]; onInsert: (text: string) => void }) {
  if (schema.length === 0) return <Empty title="No tables you can read">Create one: <code>CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)</code></Empty>;
  return (
    <ul class="schema-tree">
      {schema.map((t) => (
        <li key={t.name}>
          <details>
            <summary>
              <button type="button" class="link-button mono" onClick={(e) => { e.preventDefault(); onInsert(quoteName(t.name)); }} title="Insert the name">{t.name}</button>
              {t.type !== 'table' && <span class="badge">{t.type}</span>}
            </summary>
            <ul>
              {t.columns.map((c) => (
                <li key={c.name}>
                  <button type="button" class="link-button mono" onClick={() => onInsert(quoteName(c.name))}>{c.name}</button>
                  <span class="muted small"> {c.type || 'any'}{c.pk ? ' · pk' : ''}{c.notnull ? ' · not null' : ''}</span>
                </li>
              ))}
            </ul>
          </details>
        </li>
      ))}
    </ul>
  );
}

/** The first line that is not blank or a comment: what a query is about. */
function firstLine(sql: string): string {
  const lines = sql.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => !l.startsWith('--')) ?? lines[0] ?? sql;
}

function HistoryList({ history, onPick, onClear }: { history: HistoryEntry[]; onPick: (sql: string) => void; onClear: () => void }) {
  if (history.length === 0) return <Empty title="No queries yet">Queries you run appear here, kept across reloads in this browser.</Empty>;
  return (
    <>
      <ol class="history" aria-label="Query history, newest first">
        {history.map((h, i) => (
          <li key={`${h.at}${i}`}>
            <button type="button" class={h.ok ? 'history-item' : 'history-item history-failed'} onClick={() => onPick(h.sql)} title={h.sql.slice(0, 2000)}>
              <span class="history-sql mono">{firstLine(h.sql)}</span>
              <span class="history-meta muted small">{formatAgo(h.at)} · {h.ok ? h.summary : `error: ${h.summary}`} · {formatDuration(h.ms)}{h.asUser ? ` · as ${h.asUser}` : ''}</span>
            </button>
          </li>
        ))}
      </ol>
      <button type="button" class="btn btn-ghost btn-small" onClick={onClear}>Clear history</button>
    </>
  );
}

export function SidePanel(props: SidePanelProps) {
  const [tab, setTab] = useState<'schema' | 'history'>('schema');
  const tabs = [['schema', 'Schema'], ['history', `History (${props.history.length})`]] as const;
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      const next = tab === 'schema' ? 'history' : 'schema';
      setTab(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };
  return (
    <aside class="console-side" aria-label="Schema and history">
      <div role="tablist" class="tabs" onKeyDown={onKey}>
        {tabs.map(([id, label]) => (
          <button key={id} id={`tab-${id}`} role="tab" type="button" aria-selected={tab === id} aria-controls={`panel-${id}`} tabIndex={tab === id ? 0 : -1} onClick={() => setTab(id)}>{label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="tab-panel">
        {tab === 'schema'
          ? props.schemaError ? <ErrorState error={props.schemaError} retry={props.reloadSchema} title="The schema did not load" />
            : props.schema ? <SchemaTree schema={props.schema} onInsert={props.onInsert} /> : <Loading label="Loading the schema…" />
          : <HistoryList history={props.history} onPick={props.onPick} onClear={props.onClearHistory} />}
      </div>
    </aside>
  );
}
