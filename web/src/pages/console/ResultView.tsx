/**
 * One statement's result: rows and duration, whether more rows existed than were sent
 * (`truncated`), changes for writes, exports (CSV, JSON), and the grid — column names with
 * the storage classes seen, NULL shown as NULL, big integers and BLOBs in their lossless
 * forms. An EXPLAIN QUERY PLAN result is drawn as the plan's tree.
 */
import { toCsv, toJson, download } from '../../lib/download.ts';
import { formatDuration, plural } from '../../lib/format.ts';
import { columnKinds, display, type SqlValue } from '../../lib/values.ts';
import { Button } from '../../components/Button.tsx';
import type { SqlResult } from './run.ts';

/** Rows drawn in the grid; the rest stay in the exports. */
const GRID_ROWS = 2000;

function Cell({ value }: { value: SqlValue }) {
  const { text, title } = display(value);
  if (value === null) return <td class="cell-null">NULL</td>;
  const kind = typeof value === 'number' ? 'cell-num' : typeof value === 'object' ? ('$blob' in value ? 'cell-blob' : 'cell-num cell-big') : '';
  return <td class={kind} title={title ?? (text.length > 80 ? text.slice(0, 1000) : undefined)}>{text.length > 300 ? `${text.slice(0, 300)}…` : text}</td>;
}

function PlanTree({ rows }: { rows: SqlValue[][] }) {
  const depth = new Map<number, number>([[0, -1]]);
  return (
    <ol class="plan" aria-label="Query plan">
      {rows.map((row) => {
        const [id, parent, , detail] = row as [number, number, number, string];
        const level = (depth.get(parent) ?? -1) + 1;
        depth.set(id, level);
        return <li key={id} style={{ paddingLeft: `${level * 20 + 8}px` }} class={/^SCAN/.test(detail) ? 'plan-scan' : undefined}>{detail}</li>;
      })}
    </ol>
  );
}

export interface ResultViewProps { result: SqlResult; ms: number; explain: boolean; asUser: string | null; name: string }

export function ResultView({ result, ms, explain, asUser, name }: ResultViewProps) {
  const { columns, rows } = result;
  const kinds = columnKinds(columns.length, rows);
  const isRead = columns.length > 0;
  return (
    <div class="result">
      <div class="result-meta" role="status" data-testid="result-meta">
        {isRead ? <span>{plural(rows.length, 'row')}</span> : <span>{plural(result.changes, 'row')} changed</span>}
        <span class="muted">{formatDuration(ms)}</span>
        {result.truncated && <span class="badge badge-warn" title="The server sends at most max_rows rows (a cenv setting); add a LIMIT or a WHERE to see the rest.">truncated: more rows exist</span>}
        {!isRead && typeof result.last_insert_rowid === 'number' && result.last_insert_rowid > 0 && <span class="muted">last rowid {result.last_insert_rowid}</span>}
        {asUser && <span class="badge badge-admin">as {asUser}</span>}
        {isRead && !explain && (
          <span class="result-export">
            <Button size="small" onClick={() => download(`${name}.csv`, 'text/csv', toCsv(columns, rows))}>CSV</Button>
            <Button size="small" onClick={() => download(`${name}.json`, 'application/json', toJson(columns, rows))}>JSON</Button>
          </span>
        )}
      </div>
      {explain && columns.includes('detail') ? <PlanTree rows={rows} /> : isRead ? (
        <div class="grid-wrap" tabIndex={0} role="region" aria-label="Result rows">
          <table class="grid" data-testid="result-grid">
            <thead>
              <tr>
                <th class="rownum" scope="col"><span class="visually-hidden">Row</span></th>
                {columns.map((c, i) => <th key={i} scope="col"><span class="col-name">{c}</span><span class="col-type">{kinds[i]}</span></th>)}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, GRID_ROWS).map((row, r) => (
                <tr key={r}><td class="rownum">{r + 1}</td>{row.map((value, i) => <Cell key={i} value={value} />)}</tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && <p class="grid-empty muted">No rows matched.</p>}
          {rows.length > GRID_ROWS && <p class="grid-empty muted">The grid shows the first {GRID_ROWS.toLocaleString()} rows; the exports hold all {rows.length.toLocaleString()}.</p>}
        </div>
      ) : <p class="muted result-done">Done. {result.changes > 0 ? `${plural(result.changes, 'row')} changed.` : 'The statement ran.'}</p>}
    </div>
  );
}
