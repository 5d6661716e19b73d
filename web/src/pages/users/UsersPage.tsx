/**
 * `/{cenv}/admin/users`: every user with role, enabled, last login and active sessions;
 * add a user, change a role, disable or enable, reset a password, end sessions, and see
 * one user's grants, policies and sessions. Each change goes through the admin API, which
 * enforces the rules (one owner; only the owner changes the owner) and says why it refused.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../lib/api.ts';
import { boot } from '../../lib/boot.ts';
import { formatAgo, formatTime, plural } from '../../lib/format.ts';
import { registerShortcut } from '../../lib/shortcuts.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Button } from '../../components/Button.tsx';
import { Shell } from '../../components/Shell.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { toast } from '../../components/Toast.tsx';
import { AddUserDialog, PasswordDialog } from './UserForms.tsx';
import { UserDetailsDialog } from './UserDetails.tsx';
import type { User } from './types.ts';

async function change(user: User, body: Record<string, unknown>, done: string, reload: () => Promise<void>): Promise<void> {
  try {
    await api(`/admin/users/${encodeURIComponent(user.id)}`, { method: 'PUT', body });
    toast(done);
  } catch (e) {
    toast(`${user.username}: ${(e as ApiError).message}`, 'error');
  }
  await reload();
}

function UserRow({ user, reload, onPassword, onDetails }: { user: User; reload: () => Promise<void>; onPassword: () => void; onDetails: () => void }) {
  const me = user.id === boot.user?.id;
  const ownerRow = user.role === 'owner';
  const mayTouch = !ownerRow || boot.user?.role === 'owner';
  const endSessions = async () => {
    try {
      const { revoked } = await api<{ revoked: number }>(`/admin/users/${encodeURIComponent(user.id)}/sessions`, { method: 'DELETE' });
      toast(`${plural(revoked, 'session')} of ${user.username} ended`);
    } catch (e) {
      toast((e as ApiError).message, 'error');
    }
    await reload();
  };
  return (
    <tr>
      <th scope="row" class="user-name">{user.username}{me && <span class="muted"> (you)</span>}</th>
      <td data-label="Role">
        {ownerRow ? <span class="badge badge-owner">owner</span> : (
          <select aria-label={`Role of ${user.username}`} value={user.role}
            onChange={(e) => void change(user, { role: (e.target as HTMLSelectElement).value }, `${user.username} is now ${(e.target as HTMLSelectElement).value}; their sessions were ended`, reload)}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        )}
      </td>
      <td data-label="Status">
        <label class="switch">
          <input type="checkbox" checked={user.enabled} disabled={ownerRow}
            aria-label={`${user.username} enabled`}
            onChange={(e) => void change(user, { enabled: (e.target as HTMLInputElement).checked }, `${user.username} ${(e.target as HTMLInputElement).checked ? 'enabled' : 'disabled'}`, reload)} />
          <span>{user.enabled ? 'enabled' : <span class="badge badge-danger">disabled</span>}</span>
        </label>
      </td>
      <td data-label="Last login" title={formatTime(user.last_login)}>{formatAgo(user.last_login)}</td>
      <td data-label="Sessions" class="num">{user.active_sessions}</td>
      <td data-label="">
        <div class="actions">
          <Button size="small" onClick={onDetails}>Access</Button>
          {mayTouch && <Button size="small" onClick={onPassword}>Reset password</Button>}
          {mayTouch && user.active_sessions > 0 && <Button size="small" variant="danger" onClick={() => void endSessions()}>End sessions</Button>}
        </div>
      </td>
    </tr>
  );
}

export function UsersPage() {
  const users = useLoad(() => api<{ users: User[] }>('/admin/users'));
  const [adding, setAdding] = useState(false);
  const [passwordFor, setPasswordFor] = useState<User | null>(null);
  const [detailsFor, setDetailsFor] = useState<User | null>(null);
  useEffect(() => registerShortcut({ keys: ['n'], description: 'Add a user', group: 'Users', run: () => setAdding(true) }), []);
  const list = users.data?.users;
  return (
    <Shell title="Users" actions={<Button variant="primary" onClick={() => setAdding(true)} aria-keyshortcuts="n">Add user</Button>}>
      {users.error && !list ? <ErrorState error={users.error} retry={users.reload} /> : !list ? <Loading label="Loading users…" /> : (
        <>
          <p class="muted">{plural(list.length, 'user')}. A role change, disabling or a new password ends that user's sessions at once.</p>
          <Table caption="Users of this cenv" stack head={['User', 'Role', 'Status', 'Last login', { label: 'Sessions', numeric: true }, { label: '', srOnly: 'Actions' }]}>
            {list.map((user) => (
              <UserRow key={user.id} user={user} reload={users.reload} onPassword={() => setPasswordFor(user)} onDetails={() => setDetailsFor(user)} />
            ))}
          </Table>
          {list.length === 1 && <p class="muted hint-below">Only you so far. Add users so others can log in; then grant them tables on the Permissions page.</p>}
        </>
      )}
      <AddUserDialog open={adding} onClose={() => setAdding(false)} onAdded={() => void users.reload()} />
      <PasswordDialog user={passwordFor} onClose={() => setPasswordFor(null)} />
      <UserDetailsDialog user={detailsFor} onClose={() => setDetailsFor(null)} onChanged={() => void users.reload()} />
    </Shell>
  );
}
