/**
 * Tables × holders (the `user` and `anonymous` roles, and single users) with a checkbox per
 * operation. A change replaces the holder's grant on that table: the API keeps one grant
 * per (table, holder) and changes it by delete + create, so each version is in the audit
 * log. Owners and admins hold everything and have no column.
 */
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../lib/api.ts';
import { Table } from '../../components/Table.tsx';
import { Select } from '../../components/Field.tsx';
import { toast } from '../../components/Toast.tsx';
import { OPERATIONS, type Operation, type Permission, type User } from '../users/types.ts';

export interface Holder { key: string; label: string; role?: string; user_id?: string }

const ROLE_HOLDERS: Holder[] = [
  { key: 'role:user', label: 'every user', role: 'user' },
  { key: 'role:anonymous', label: 'anonymous', role: 'anonymous' },
];

function holderKey(p: Permission): string {
  return p.role !== null ? `role:${p.role}` : `user:${p.user_id}`;
}

function sameTable(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export interface GrantGridProps { tables: string[]; grants: Permission[]; users: User[]; reload: () => Promise<void> }

export function GrantGrid({ tables, grants, users, reload }: GrantGridProps) {
  const [extra, setExtra] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  // What a checkbox shows while its change is on the way (then the reloaded grants decide).
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const plainUsers = users.filter((u) => u.role === 'user');
  const userIds = [...new Set([...grants.filter((g) => g.user_id).map((g) => g.user_id!), ...extra])];
  const holders: Holder[] = [
    ...ROLE_HOLDERS,
    ...userIds.map((id) => ({ key: `user:${id}`, label: users.find((u) => u.id === id)?.username ?? id.slice(0, 8), user_id: id })),
  ];
  const addable = plainUsers.filter((u) => !userIds.includes(u.id));

  const toggle = async (table: string, holder: Holder, op: Operation, on: boolean) => {
    const existing = grants.find((g) => sameTable(g.table, table) && holderKey(g) === holder.key);
    const ops = new Set<Operation>(existing?.operations ?? []);
    if (on) ops.add(op); else ops.delete(op);
    const cell = `${table}|${holder.key}`;
    setBusy(cell);
    setPending({ [`${cell}|${op}`]: on });
    try {
      // One request per change, so a grant is never briefly gone (nor half-changed on an error).
      const operations = OPERATIONS.filter((o) => ops.has(o));
      if (existing && operations.length > 0) await api(`/admin/permissions/${existing.id}`, { method: 'PUT', body: { operations } });
      else if (existing) await api(`/admin/permissions/${existing.id}`, { method: 'DELETE' });
      else await api('/admin/permissions', { body: { table, ...(holder.role ? { role: holder.role } : { user_id: holder.user_id }), operations } });
      toast(`${holder.label} ${on ? 'may now' : 'may no longer'} ${op} ${on ? 'rows of' : 'on'} ${table}`);
    } catch (e) {
      toast(`Not changed: ${(e as ApiError).message}`, 'error');
    } finally {
      await reload();
      setBusy(null);
      setPending({});
    }
  };

  return (
    <>
      <div class="grid-toolbar">
        <p class="muted">Owners and admins may do everything. Without a grant a table is invisible to users and anonymous visitors.</p>
        {addable.length > 0 && (
          <Select id="add-holder" label="Add a column for one user" value="" hideLabel
            options={[{ value: '', label: 'Grant to one user…' }, ...addable.map((u) => ({ value: u.id, label: u.username }))]}
            onValue={(id) => id && setExtra([...extra, id])} />
        )}
      </div>
      <Table caption="Table permissions by role and user" head={['Table', ...holders.map((h) => ({ label: <span title={h.key}>{h.label}</span> }))]}>
        {tables.map((table) => (
          <tr key={table}>
            <th scope="row" class="mono">{table}</th>
            {holders.map((holder) => {
              const grant = grants.find((g) => sameTable(g.table, table) && holderKey(g) === holder.key);
              const cell = `${table}|${holder.key}`;
              return (
                <td key={holder.key}>
                  <fieldset class="ops" disabled={busy === cell} aria-busy={busy === cell || undefined}>
                    <legend class="visually-hidden">{`${holder.label} on ${table}`}</legend>
                    {OPERATIONS.map((op) => (
                      <label key={op} class="op" title={op}>
                        <input type="checkbox" checked={pending[`${cell}|${op}`] ?? grant?.operations.includes(op) ?? false}
                          aria-label={`${holder.label} may ${op} on ${table}`}
                          onChange={(e) => void toggle(table, holder, op, (e.target as HTMLInputElement).checked)} />
                        <span aria-hidden="true">{op[0].toUpperCase()}</span>
                      </label>
                    ))}
                  </fieldset>
                </td>
              );
            })}
          </tr>
        ))}
      </Table>
      <p class="muted small">S select · I insert · U update · D delete. Update and delete also need select (rows are found by reading them).</p>
    </>
  );
}
