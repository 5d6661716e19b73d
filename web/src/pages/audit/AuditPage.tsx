/**
 * `/{cenv}/admin/audit`: the audit log, newest first, filtered by user, action, table and
 * time; older entries load a page at a time (the API pages by cursor, so entries written
 * meanwhile never shift what is shown), and the whole filtered log downloads as CSV or
 * JSON. Owner and admins.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { cenvPath } from '../../lib/boot.ts';
import { download } from '../../lib/download.ts';
import { formatTime } from '../../lib/format.ts';
import { Button } from '../../components/Button.tsx';
import { Field } from '../../components/Field.tsx';
import { Shell } from '../../components/Shell.tsx';
import { Empty, ErrorState } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { toast } from '../../components/Toast.tsx';

interface Entry {
  id: number; at: string; user_id: string | null; username: string | null; action: string; table: string | null;
  row_count: number | null; statement: string | null; detail: unknown; ip: string | null;
}

interface Filters { user: string; action: string; table: string; since: string; until: string }
const NONE: Filters = { user: '', action: '', table: '', since: '', until: '' };
/** Empty pages in a row followed before giving up (each covers a stretch of the log). */
const MAX_EMPTY_PAGES = 20;

/** The query string of the filters (times from the browser's local time to ISO). */
function query(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['user', 'action', 'table'] as const) if (filters[key].trim()) params.set(key, filters[key].trim());
  for (const key of ['since', 'until'] as const) if (filters[key]) params.set(key, new Date(filters[key]).toISOString());
  return params;
}

function what(entry: Entry): string {
  if (entry.statement) return entry.statement;
  return entry.detail === null ? '' : JSON.stringify(entry.detail);
}

export function AuditPage() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState<Filters>(NONE);

  /** Loads the next entries after `from` (null: the newest), following empty pages a while. */
  const load = async (filters: Filters, from: string | null, keep: Entry[]) => {
    setBusy(true);
    try {
      let next = from;
      let found: Entry[] = [];
      for (let empty = 0; found.length === 0 && empty < MAX_EMPTY_PAGES; empty++) {
        const params = query(filters);
        params.set('limit', '100');
        if (next) params.set('cursor', next);
        const page = await api<{ entries: Entry[]; next_cursor: string | null }>(`/admin/audit?${params}`);
        found = page.entries;
        next = page.next_cursor;
        if (next === null) break;
      }
      setEntries([...keep, ...found]);
      setCursor(next);
      setError(null);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => { void load(NONE, null, []); }, []);

  const apply = (event: Event) => {
    event.preventDefault();
    setApplied(draft);
    void load(draft, null, []);
  };
  const save = async (format: 'csv' | 'json') => {
    const params = query(applied);
    params.set('format', format);
    try {
      // Fetched rather than linked: a navigation asks for HTML, and this path serves the page then.
      const response = await fetch(cenvPath(`/admin/audit?${params}`), { headers: { accept: format === 'csv' ? 'text/csv' : 'application/json' } });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `audit.${format}`;
      download(name, format === 'csv' ? 'text/csv' : 'application/json', await response.text());
    } catch (e) {
      toast(`Download failed: ${(e as Error).message}`, 'error');
    }
  };
  const field = (key: keyof Filters, label: string, type: 'text' | 'datetime-local' = 'text') => (
    <div class="field">
      <label for={`filter-${key}`}>{label}</label>
      <input id={`filter-${key}`} type={type as 'text'} value={draft[key]} onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })} />
    </div>
  );
  return (
    <Shell title="Audit log" actions={(
      <>
        <Button onClick={() => void save('csv')}>Download CSV</Button>
        <Button onClick={() => void save('json')}>Download JSON</Button>
      </>
    )}>
      <form class="filters" onSubmit={apply} aria-label="Filter the audit log">
        <Field id="filter-user" label="User (name or id)" value={draft.user} onValue={(user) => setDraft({ ...draft, user })} />
        {field('action', 'Action')}
        {field('table', 'Table')}
        {field('since', 'From', 'datetime-local')}
        {field('until', 'Until', 'datetime-local')}
        <Button type="submit" variant="primary" busy={busy && entries !== null}>Filter</Button>
      </form>
      {error && !entries?.length ? <ErrorState error={error} retry={() => void load(applied, null, [])} /> : entries === null ? null : entries.length === 0 ? (
        <Empty title="No entries">Nothing in the log matches these filters.</Empty>
      ) : (
        <>
          <Table caption="Audit log entries, newest first" stack head={['When', 'User', 'Action', 'Table', { label: 'Rows', numeric: true }, 'Statement or detail', 'Address']}>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td data-label="When" title={entry.at}>{formatTime(entry.at)}</td>
                <td data-label="User">{entry.username ?? <span class="muted">–</span>}</td>
                <td data-label="Action"><code>{entry.action}</code></td>
                <td data-label="Table">{entry.table ?? ''}</td>
                <td data-label="Rows" class="num">{entry.row_count ?? ''}</td>
                <td data-label="Statement or detail" class="audit-statement" title={what(entry)}><code>{what(entry)}</code></td>
                <td data-label="Address">{entry.ip ?? ''}</td>
              </tr>
            ))}
          </Table>
          {cursor !== null && <p class="hint-below"><Button busy={busy} onClick={() => void load(applied, cursor, entries)}>Load older entries</Button></p>}
        </>
      )}
    </Shell>
  );
}
