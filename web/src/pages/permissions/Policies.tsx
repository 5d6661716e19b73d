/** Row policies grouped by table, with add, edit and delete. */
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../lib/api.ts';
import { Button } from '../../components/Button.tsx';
import { Empty } from '../../components/States.tsx';
import { toast } from '../../components/Toast.tsx';
import type { Policy } from '../users/types.ts';
import { PolicyDialog } from './PolicyForm.tsx';

export interface PoliciesProps { tables: Array<{ name: string; columns: string[] }>; policies: Policy[]; reload: () => Promise<void> }

export function Policies({ tables, policies, reload }: PoliciesProps) {
  const [editing, setEditing] = useState<{ table: string; policy: Policy | null } | null>(null);
  const remove = async (policy: Policy) => {
    if (!confirm(`Delete the policy "${policy.name}" on ${policy.table}? Rows it hid become visible to everyone with a grant.`)) return;
    try {
      await api(`/admin/policies/${policy.id}`, { method: 'DELETE' });
      toast(`Policy "${policy.name}" deleted`);
    } catch (e) {
      toast((e as ApiError).message, 'error');
    }
    await reload();
  };
  const columnsOf = (table: string) => tables.find((t) => t.name.toLowerCase() === table.toLowerCase())?.columns ?? [];
  return (
    <>
      {tables.map(({ name }) => {
        const mine = policies.filter((p) => p.table.toLowerCase() === name.toLowerCase());
        return (
          <div class="policy-table card" key={name}>
            <div class="section-head">
              <h3 class="mono">{name}</h3>
              <Button size="small" onClick={() => setEditing({ table: name, policy: null })} aria-label={`Add a policy on ${name}`}>Add policy</Button>
            </div>
            {mine.length === 0 ? <p class="muted small">No policies: users with a grant see and write every row.</p> : (
              <ul class="policy-list">
                {mine.map((p) => (
                  <li key={p.id}>
                    <div class="policy-title"><strong>{p.name}</strong> <span class="badge">{p.kind}</span> <span class="muted">{p.commands.join(', ')} · {p.roles.join(', ')}</span></div>
                    {p.using && <div class="policy-expr"><span class="muted">using</span> <code>{p.using}</code></div>}
                    {p.check && <div class="policy-expr"><span class="muted">check</span> <code>{p.check}</code></div>}
                    <div class="actions">
                      <Button size="small" onClick={() => setEditing({ table: name, policy: p })} aria-label={`Edit policy ${p.name}`}>Edit</Button>
                      <Button size="small" variant="danger" onClick={() => void remove(p)} aria-label={`Delete policy ${p.name}`}>Delete</Button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      {tables.length === 0 && <Empty title="No tables to protect yet">Create a table in the console first.</Empty>}
      {editing && (
        <PolicyDialog key={`${editing.table}:${editing.policy?.id ?? 'new'}`} open policy={editing.policy} table={editing.table}
          columns={columnsOf(editing.table)} onClose={() => setEditing(null)} onSaved={() => void reload()} />
      )}
    </>
  );
}
