/**
 * The console's "Why hidden?": for the statement at the cursor and the user picked in "Run
 * as", what `POST /{cenv}/admin/explain` found — how many rows the owner gets and the user
 * gets, each row the user does not see with the policy that hid it, a refused write and
 * why, the grants consulted, the policies of the tables involved (and whether each applies
 * to this user), and the statement as it runs for them. Nothing runs for real: the server
 * rolls every part back.
 */
import { plural } from '../../lib/format.ts';
import { display, type SqlValue } from '../../lib/values.ts';

export interface Explanation {
  statement: 'select' | 'insert' | 'update' | 'delete';
  as_user: { id: string | null; username: string | null; role: string };
  rewritten: string | null;
  grants: Array<{ table: string; operation: string; allowed: boolean }>;
  policies: Array<{ id: number; table: string; name: string; kind: string; commands: string[]; roles: string[]; using: string | null; check: string | null; applies: boolean }>;
  result: { owner: number; user: number | null; unit: 'rows' | 'changes' };
  error: { code: string; message: string } | null;
  hidden: Array<{ table: string; row: Record<string, SqlValue>; reasons: Array<{ policy: string; kind: string; using: string | null }> }>;
  hidden_total: number;
  notes: string[];
}

function Value({ value }: { value: SqlValue }) {
  if (value === null) return <td class="cell-null">NULL</td>;
  const { text, title } = display(value);
  return <td class={typeof value === 'number' ? 'cell-num' : undefined} title={title}>{text.length > 120 ? `${text.slice(0, 120)}…` : text}</td>;
}

function headline(x: Explanation, who: string): string {
  const { owner, user, unit } = x.result;
  if (x.error) return `${who}'s ${x.statement.toUpperCase()} is refused`;
  if (unit === 'rows') return user === owner ? `${who} sees all ${plural(owner, 'row')} you see` : `${who} sees ${user} of the ${plural(owner, 'row')} you see`;
  return user === owner ? `${who}'s ${x.statement.toUpperCase()} changes all ${plural(owner, 'row')} yours would` : `${who}'s ${x.statement.toUpperCase()} would change ${user} of the ${plural(owner, 'row')} yours would`;
}

export function WhyHidden({ x }: { x: Explanation }) {
  const who = x.as_user.username ?? 'anonymous';
  const columns = [...new Set(x.hidden.flatMap((h) => Object.keys(h.row)))];
  const showTable = x.hidden.some((h) => h.table !== '') && new Set(x.hidden.map((h) => h.table)).size > 1;
  return (
    <div class="why" data-testid="why-hidden">
      <div class="why-head" role="status">
        <p class="why-title">{headline(x, who)}</p>
        <span class="badge">{x.as_user.role}</span>
        <span class="muted small">Explained in transactions that were rolled back: nothing changed.</span>
      </div>
      {x.error && (
        <div class="sql-error" role="alert">
          <p class="sql-error-title">{x.error.code === 'WCE_ERR_FORBIDDEN' ? 'No grant' : x.error.code === 'WCE_ERR_POLICY' ? 'A policy CHECK refuses the change' : 'Refused'}</p>
          <p class="mono">{x.error.message}</p>
          {x.error.code === 'WCE_ERR_FORBIDDEN' && <p class="muted">Grant the table to this user or their role on the Permissions page.</p>}
        </div>
      )}
      {x.notes.map((note, i) => <p key={i} class="callout small">{note.charAt(0).toUpperCase() + note.slice(1)}.</p>)}

      <section aria-labelledby="why-hidden-title">
        <h3 id="why-hidden-title" class="panel-title">
          {x.statement === 'select' ? 'Rows hidden from' : 'Rows skipped for'} {who}: {x.hidden_total}{x.hidden_total > x.hidden.length ? ` (first ${x.hidden.length} shown)` : ''}
        </h3>
        {x.hidden.length === 0 ? <p class="muted small">{x.error ? 'None to show: the statement did not run for them.' : 'None: every row you reach, they reach too.'}</p> : (
          <div class="grid-wrap why-grid" tabIndex={0} role="region" aria-label="Hidden rows">
            <table class="grid">
              <thead>
                <tr>
                  <th scope="col"><span class="col-name">Hidden by</span></th>
                  {showTable && <th scope="col"><span class="col-name">Table</span></th>}
                  {columns.map((c) => <th key={c} scope="col"><span class="col-name">{c}</span></th>)}
                </tr>
              </thead>
              <tbody>
                {x.hidden.map((h, i) => (
                  <tr key={i}>
                    <td class="why-reasons">
                      {h.reasons.length === 0 ? <span class="muted">{h.table ? 'no permissive policy admits it' : 'not named (see the note)'}</span>
                        : h.reasons.map((r) => (
                          <span key={r.policy} class="why-reason" title={r.using ? `USING ${r.using} is not true for this row` : undefined}>
                            <span class={`badge ${r.kind === 'restrictive' ? 'badge-warn' : 'badge-danger'}`}>{r.policy}</span>
                          </span>
                        ))}
                    </td>
                    {showTable && <td>{h.table}</td>}
                    {columns.map((c) => <Value key={c} value={h.row[c] ?? null} />)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {x.hidden.some((h) => h.reasons.length > 1) && <p class="muted small">Several names on a row: every permissive policy failed for it (one passing would have shown it), or a restrictive one failed.</p>}
      </section>

      <div class="why-columns">
        <section aria-labelledby="why-grants-title">
          <h3 id="why-grants-title" class="panel-title">Grants consulted</h3>
          {x.grants.length === 0 ? <p class="muted small">None.</p> : (
            <ul class="plain-list why-list">
              {x.grants.map((g) => (
                <li key={`${g.table}:${g.operation}`}>
                  <span class={g.allowed ? 'ok' : 'bad'} aria-hidden="true">{g.allowed ? '✓' : '✗'}</span> {g.operation} on <span class="mono">{g.table}</span>
                  <span class="visually-hidden">{g.allowed ? ' allowed' : ' not granted'}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="why-policies-title">
          <h3 id="why-policies-title" class="panel-title">Policies of these tables</h3>
          {x.policies.length === 0 ? <p class="muted small">None: a grant shows every row.</p> : (
            <ul class="plain-list why-list">
              {x.policies.map((p) => (
                <li key={p.id} class={p.applies ? undefined : 'muted'}>
                  <strong>{p.name}</strong> <span class="badge">{p.kind}</span> <span class="small">{p.commands.join(', ')} · {p.roles.join(', ')}{p.applies ? '' : ` · not for ${x.as_user.role}`}</span>
                  {p.using && <div class="small"><span class="muted">using</span> <code>{p.using}</code></div>}
                  {p.check && <div class="small"><span class="muted">check</span> <code>{p.check}</code></div>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {x.rewritten && (
        <section aria-labelledby="why-rewritten-title">
          <h3 id="why-rewritten-title" class="panel-title">The statement as it runs for {who}</h3>
          <pre class="pre" data-testid="why-rewritten">{x.rewritten}</pre>
        </section>
      )}
    </div>
  );
}
