/**
 * What a draft policy would change, before it is saved: `POST /{cenv}/admin/policies/preview`
 * counts for the anonymous visitor and each user the rows they may select now and with the
 * draft, so the owner sees who gains and who loses rows. It runs by itself a moment after
 * the form changes (nothing is saved; the server rolls everything back); while the draft
 * does not validate yet, it says why, quietly, next to the counts.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { plural, sentence } from '../../lib/format.ts';

export interface PolicyDraft {
  id?: number; table: string; name: string; commands: string[]; roles: string[];
  using: string | null; check: string | null; kind: string;
}

interface Line { user: { id: string | null; username: string | null; role: string }; before: number; after: number; gained: number; lost: number }
interface Preview { table: string; principals: Line[]; truncated: boolean; note: string }

const DEBOUNCE_MS = 450;

function names(lines: Line[]): string {
  const list = lines.map((l) => l.user.username ?? 'anonymous visitors');
  return list.length <= 4 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;
}

function change(line: Line): string {
  const parts = [line.gained > 0 ? `+${line.gained}` : '', line.lost > 0 ? `−${line.lost}` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : 'no change';
}

export function PolicyPreview({ draft }: { draft: PolicyDraft }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(draft);

  useEffect(() => {
    if (draft.commands.length === 0 || draft.roles.length === 0) {
      setProblem('Pick at least one command and one role to see the effect.');
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      const { name, ...rest } = draft;
      api<Preview>('/admin/policies/preview', { body: { ...rest, ...(name.trim() ? { name: name.trim() } : {}) }, signal: controller.signal })
        .then((p) => { setPreview(p); setProblem(null); }, (e: Error) => { if (e.name !== 'AbortError') { setPreview(null); setProblem(sentence(e.message)); } })
        .finally(() => { if (!controller.signal.aborted) setBusy(false); });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [key]);

  const lines = preview?.principals ?? [];
  const changed = lines.filter((l) => l.gained > 0 || l.lost > 0);
  const same = lines.length - changed.length;
  const gainers = changed.filter((l) => l.gained > 0);
  const losers = changed.filter((l) => l.lost > 0);
  return (
    <section class="policy-preview" aria-labelledby="preview-title" data-testid="policy-preview">
      <div class="section-head">
        <h3 id="preview-title">Effect before saving {busy && <span class="spinner" aria-hidden="true" />}</h3>
        {preview && <span class="muted small">rows of {preview.table} each one may select</span>}
      </div>
      <div aria-live="polite">
        {problem && <p class="hint preview-problem">{problem}</p>}
        {!preview && !problem && <p class="hint">Working out who gains or loses rows…</p>}
        {preview && (
          <>
            <p class="preview-summary">
              {changed.length === 0 ? 'Nobody gains or loses a row.' : [
                gainers.length > 0 ? `${names(gainers)} would see more rows.` : '',
                losers.length > 0 ? `${names(losers)} would see fewer.` : '',
              ].filter(Boolean).join(' ')}
            </p>
            {changed.length > 0 && (
              <table class="table preview-table">
                <caption class="visually-hidden">Rows each user may select now and with this policy</caption>
                <thead><tr><th scope="col">Who</th><th scope="col" class="num">Now</th><th scope="col" class="num">With this</th><th scope="col" class="num">Change</th></tr></thead>
                <tbody>
                  {changed.map((l) => (
                    <tr key={l.user.id ?? 'anonymous'}>
                      <th scope="row">{l.user.username ?? 'anonymous'} <span class="muted small">{l.user.role === 'anonymous' ? 'visitor' : l.user.role}</span></th>
                      <td class="num">{l.before}</td>
                      <td class="num">{l.after}</td>
                      <td class={`num ${l.lost > 0 ? 'lose' : 'gain'}`}>{change(l)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p class="muted small">
              {same > 0 && `${plural(same, 'other')} unchanged. `}{preview.truncated && 'Only the first 200 users were counted. '}
              Owners and admins see every row whatever the policies; a role without a select grant sees none whatever these counts say.
            </p>
          </>
        )}
      </div>
    </section>
  );
}
