/**
 * A template's named queries, beside its source: each a name (the variable the template
 * reads), its SQL (`:name` binds the path's parameter of that name), and whether it gives
 * the first row only and whether no row makes the page a 404. Changes go into the draft and
 * re-render the preview; the save checks them (a refused query is marked here).
 */
import { Button } from '../../components/Button.tsx';
import type { QueryRow } from './model.ts';

export interface QueriesEditorProps {
  queries: QueryRow[];
  params: string[];
  onChange: (queries: QueryRow[]) => void;
  /** A refused save's query and message. */
  problem: { query: string; message: string } | null;
  readOnly?: boolean;
}

const MAX_QUERIES = 16;

export function QueriesEditor({ queries, params, onChange, problem, readOnly }: QueriesEditorProps) {
  const set = (i: number, change: Partial<QueryRow>) => onChange(queries.map((q, j) => (j === i ? { ...q, ...change } : q)));
  const add = () => {
    let n = queries.length + 1;
    while (queries.some((q) => q.name === `rows${n === 1 ? '' : n}`)) n++;
    onChange([...queries, { name: `rows${n === 1 ? '' : n}`, sql: 'SELECT * FROM ', first: false, required: false }]);
    requestAnimationFrame(() => document.getElementById(`query-sql-${queries.length}`)?.focus());
  };
  return (
    <section class="queries" aria-labelledby="queries-title">
      <div class="list-head">
        <h2 id="queries-title">Queries ({queries.length})</h2>
        {!readOnly && <Button size="small" onClick={add} disabled={queries.length >= MAX_QUERIES}>Add query</Button>}
      </div>
      {queries.length === 0 ? (
        <p class="muted small queries-empty">
          None. A query's rows become a variable of the template: <code>{'{% for p in posts %}{{ p.title }}{% endfor %}'}</code>. They run as
          anonymous visitors, under the cenv's grants and row policies.
        </p>
      ) : (
        <ol class="query-list">
          {queries.map((q, i) => {
            const bad = problem?.query === q.name.trim();
            return (
              <li key={i} class={bad ? 'query query-bad' : 'query'}>
                <div class="query-head">
                  <label class="visually-hidden" for={`query-name-${i}`}>Name of query {i + 1}</label>
                  <input id={`query-name-${i}`} class="query-name mono" value={q.name} spellcheck={false} readOnly={readOnly} maxLength={64}
                    onInput={(e) => set(i, { name: (e.target as HTMLInputElement).value })} />
                  <label class="check"><input type="checkbox" checked={q.first} disabled={readOnly} onChange={(e) => set(i, { first: (e.target as HTMLInputElement).checked })} /> first row only</label>
                  <label class="check" title="No row: the page is a 404 (its body still renders)"><input type="checkbox" checked={q.required} disabled={readOnly} onChange={(e) => set(i, { required: (e.target as HTMLInputElement).checked })} /> 404 when empty</label>
                  {!readOnly && <button type="button" class="icon-button" aria-label={`Remove query ${q.name || i + 1}`} onClick={() => onChange(queries.filter((_, j) => j !== i))}>×</button>}
                </div>
                <label class="visually-hidden" for={`query-sql-${i}`}>SQL of query {q.name || i + 1}</label>
                <textarea id={`query-sql-${i}`} class="query-sql" rows={Math.min(6, Math.max(2, q.sql.split('\n').length))} value={q.sql} spellcheck={false} readOnly={readOnly}
                  aria-invalid={bad || undefined} aria-describedby={bad ? `query-error-${i}` : undefined}
                  onInput={(e) => set(i, { sql: (e.target as HTMLTextAreaElement).value })} />
                {bad && <p class="field-error" id={`query-error-${i}`}>{problem!.message}</p>}
              </li>
            );
          })}
        </ol>
      )}
      {params.length > 0 && <p class="muted small queries-hint">This path binds {params.map((p, i) => <span key={p}>{i > 0 && ', '}<code>:{p}</code></span>)} in queries.</p>}
    </section>
  );
}
