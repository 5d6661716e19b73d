/**
 * `/{cenv}/dashboard`: the cenv at a glance for owners and admins — name, id, address,
 * size against its cap, counts, tables with row counts (each opens in the console), and
 * the newest audit entries. Users see who they are and where to go.
 *
 * Live: the page subscribes to its tables' changes (`GET /{cenv}/events`) and, when rows
 * change, reads the overview again (at most every 1.5 s), so row counts and the audit
 * entries of those writes — who, what, the statement — appear by themselves, new ones
 * highlighted. The stream carries table changes only: logins and changes to users or
 * permissions appear on the next refresh, and the page says so.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { boot, cenvPath, isAdmin } from '../lib/boot.ts';
import { formatAgo, formatBytes, formatTime } from '../lib/format.ts';
import { liveTables, MAX_LIVE_TABLES, useLiveTables, type LiveStatus } from '../lib/live.ts';
import { useLoad } from '../lib/use-load.ts';
import { Button } from '../components/Button.tsx';
import { Shell } from '../components/Shell.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { Table } from '../components/Table.tsx';
import { toast } from '../components/Toast.tsx';

interface Overview {
  id: string; name: string | null; url: string; created_at: string;
  size: { bytes: number; free_bytes: number; max_bytes: number };
  counts: Record<string, number>;
  tables: Array<{ name: string; type: string; rows: number | null }>;
  audit: Array<{ id: number; at: string; username: string | null; action: string; table: string | null; row_count: number | null; statement: string | null; ip: string | null }>;
}

const COUNT_LABELS: Array<[string, string]> = [['users', 'Users'], ['tables', 'Tables'], ['views', 'Views'], ['endpoints', 'Endpoints'], ['templates', 'Templates'], ['pages', 'Pages']];

function consoleLink(table: string): string {
  const quoted = /^[A-Za-z_][A-Za-z0-9_]*$/.test(table) ? table : `"${table.replaceAll('"', '""')}"`;
  return cenvPath(`/console?sql=${encodeURIComponent(`SELECT * FROM ${quoted} LIMIT 100`)}`);
}

function copy(text: string): void {
  navigator.clipboard.writeText(text).then(() => toast('Copied'), () => toast('Copy did not work; select the text instead', 'error'));
}

/** Re-reads at most this often while changes stream in. */
const LIVE_RELOAD_MS = 1500;

const LIVE_TEXT: Record<LiveStatus, string> = {
  off: 'Live updates start once the cenv has a table.',
  connecting: 'Connecting to live changes…',
  live: 'Live: writes to your tables appear here as they happen. Logins and changes to users or permissions appear when you refresh.',
  retrying: 'Live changes interrupted; reconnecting… Refresh to see the latest now.',
  failed: 'Live changes are off (the server refused the stream). Refresh to see new activity.',
};

function LiveBadge({ status, truncated }: { status: LiveStatus; truncated: boolean }) {
  const on = status === 'live';
  return (
    <span class={`live ${on ? 'live-on' : ''}`} title={LIVE_TEXT[status] + (truncated ? ` Only the first ${MAX_LIVE_TABLES} tables are followed.` : '')} data-testid="live-status">
      <span class="live-dot" aria-hidden="true" />{on ? 'Live' : status === 'off' ? 'Not live' : status === 'failed' ? 'Live off' : 'Connecting'}
    </span>
  );
}

function AdminDashboard() {
  const overview = useLoad(() => api<Overview>('/admin/overview'));
  const [refreshing, setRefreshing] = useState(false);
  // Audit entries that arrived by themselves since the page loaded, highlighted for a while.
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const newest = useRef<number | null>(null);
  const timer = useRef(0);
  const tables = (overview.data?.tables ?? []).filter((t) => t.type === 'table').map((t) => t.name);
  const status = useLiveTables(tables, () => {
    if (timer.current) return;
    timer.current = window.setTimeout(() => { timer.current = 0; void overview.reload(); }, LIVE_RELOAD_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    const audit = overview.data?.audit;
    if (!audit) return;
    const top = audit.reduce((max, a) => Math.max(max, a.id), 0);
    if (newest.current !== null && top > newest.current) {
      const seen = newest.current;
      const added = new Set(audit.filter((a) => a.id > seen).map((a) => a.id));
      setFresh(added);
      setTimeout(() => setFresh((now) => (now === added ? new Set() : now)), 4000);
    }
    newest.current = top;
  }, [overview.data]);
  const refresh = async () => { setRefreshing(true); await overview.reload(); setRefreshing(false); };

  if (overview.error && !overview.data) return <ErrorState error={overview.error} retry={overview.reload} title="The overview did not load" />;
  const o = overview.data;
  if (!o) return <Loading label="Loading the overview…" />;
  const used = Math.min(100, (o.size.bytes / o.size.max_bytes) * 100);
  return (
    <>
      <section class="section dash-top">
        <div class="card">
          <h2 class="visually-hidden">About this cenv</h2>
          <dl class="kv">
            <dt>Name</dt><dd>{o.name ?? <span class="muted">none (reached by id)</span>}</dd>
            <dt>Id</dt><dd class="mono">{o.id} <button type="button" class="btn btn-ghost btn-small" onClick={() => copy(o.id)} aria-label="Copy the id">Copy</button></dd>
            <dt>Address</dt><dd><a class="mono" href={o.url}>{o.url}</a> <button type="button" class="btn btn-ghost btn-small" onClick={() => copy(o.url)} aria-label="Copy the address">Copy</button></dd>
            <dt>Created</dt><dd title={formatTime(o.created_at)}>{formatAgo(o.created_at)}</dd>
            <dt>Size on disk</dt>
            <dd>
              {formatBytes(o.size.bytes)} of {formatBytes(o.size.max_bytes)}
              <div class="meter" role="meter" aria-label="Database size" aria-valuemin={0} aria-valuemax={o.size.max_bytes} aria-valuenow={o.size.bytes}>
                <span style={{ width: `${Math.max(used, 0.5)}%` }} />
              </div>
            </dd>
          </dl>
        </div>
        <div class="grid-cards" aria-label="Counts">
          {COUNT_LABELS.filter(([key]) => o.counts[key] !== undefined).map(([key, label]) => (
            <div class="stat" key={key}><div class="stat-value">{o.counts[key].toLocaleString()}</div><div class="stat-label">{label}</div></div>
          ))}
        </div>
      </section>
      <section class="section" aria-labelledby="tables-title">
        <div class="section-head">
          <h2 id="tables-title">Tables</h2>
          <a class="btn btn-small" href={cenvPath('/console')}>Open the console</a>
        </div>
        {o.tables.length === 0 ? (
          <Empty title="No tables yet" action={<a class="btn btn-primary" href={cenvPath(`/console?sql=${encodeURIComponent('CREATE TABLE posts (\n  id INTEGER PRIMARY KEY,\n  author TEXT NOT NULL,\n  title TEXT NOT NULL,\n  body TEXT\n)')}`)}>Create one in the console</a>}>
            Tables hold your app's data. Create them with SQL in the console; then grant users access on the Permissions page.
          </Empty>
        ) : (
          <Table caption="Tables and their row counts" head={['Table', { label: 'Rows', numeric: true }, { label: '', srOnly: 'Open in the console' }]}>
            {o.tables.map((t) => (
              <tr key={t.name}>
                <td><span class="mono">{t.name}</span>{t.type === 'virtual' && <span class="badge">virtual</span>}</td>
                <td class="num">{t.rows === null ? <span class="muted">–</span> : t.rows.toLocaleString()}</td>
                <td class="num"><a href={consoleLink(t.name)}>Query</a></td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <section class="section" aria-labelledby="audit-title">
        <div class="section-head">
          <h2 id="audit-title">Recent activity</h2>
          <div class="section-tools">
            <LiveBadge status={status} truncated={liveTables(tables).length < tables.length} />
            <Button size="small" busy={refreshing} onClick={() => void refresh()}>Refresh</Button>
          </div>
        </div>
        <p class="muted small live-note" role="status">{fresh.size > 0 ? `${fresh.size === 1 ? 'A new entry' : `${fresh.size} new entries`} just arrived.` : LIVE_TEXT[status]}</p>
        {o.audit.length === 0 ? <Empty title="Nothing recorded yet">Logins, changes to users and permissions, and every write appear here.</Empty> : (
          <Table caption="Recent audit log entries" head={['When', 'Who', 'What', 'Table', 'Detail']}>
            {o.audit.map((a) => (
              <tr key={a.id} class={fresh.has(a.id) ? 'fresh' : undefined}>
                <td class="nowrap" title={formatTime(a.at)}>{formatAgo(a.at)}</td>
                <td>{a.username ?? <span class="muted">anonymous</span>}</td>
                <td><span class={`badge${/failed|revoked|deleted/.test(a.action) ? ' badge-warn' : ''}`}>{a.action.replaceAll('_', ' ')}</span></td>
                <td class="mono">{a.table ?? ''}</td>
                <td class="audit-detail mono" title={a.statement ?? undefined}>{a.statement ?? (a.row_count !== null ? `${a.row_count} rows` : '')}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </>
  );
}

function UserDashboard() {
  return (
    <section class="card">
      <h2>Welcome, {boot.user?.username}</h2>
      <p>You are a <strong>user</strong> of this cenv. You can query the tables an owner or admin granted you, under their row policies.</p>
      <a class="btn btn-primary" href={cenvPath('/console')}>Open the SQL console</a>
    </section>
  );
}

export function DashboardPage() {
  return <Shell title="Dashboard">{isAdmin() ? <AdminDashboard /> : <UserDashboard />}</Shell>;
}
