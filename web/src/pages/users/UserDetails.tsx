/**
 * One user's access at a glance: the grants that apply to them (to their role and to them
 * by name), the row policies that filter what they see, and their active sessions, each of
 * which can be ended. Owners and admins hold every grant and bypass policies; the dialog
 * says so instead of listing.
 */
import { api, type ApiError } from '../../lib/api.ts';
import { cenvPath } from '../../lib/boot.ts';
import { formatAgo, formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { toast } from '../../components/Toast.tsx';
import type { Permission, Policy, Session, User } from './types.ts';

function Access({ user }: { user: User }) {
  const data = useLoad(async () => {
    const [grants, policies] = await Promise.all([api<{ permissions: Permission[] }>('/admin/permissions'), api<{ policies: Policy[] }>('/admin/policies')]);
    return { grants: grants.permissions, policies: policies.policies };
  }, [user.id]);
  if (user.role !== 'user') return <p>As {user.role}, {user.username} holds every permission on every table and bypasses row policies.</p>;
  if (data.error) return <ErrorState error={data.error} retry={data.reload} />;
  if (!data.data) return <Loading />;
  const grants = data.data.grants.filter((g) => g.user_id === user.id || g.role === 'user');
  const policies = data.data.policies.filter((p) => p.roles.includes('user'));
  return (
    <>
      <h3>Grants</h3>
      {grants.length === 0 ? <Empty title="No grants">Without a grant a table is invisible to {user.username}. <a href={cenvPath('/admin/permissions')}>Grant access</a></Empty> : (
        <ul class="plain-list">
          {grants.map((g) => <li key={g.id}><span class="mono">{g.table}</span>: {g.operations.join(', ')} <span class="muted">({g.user_id ? 'to this user' : 'to every user'})</span></li>)}
        </ul>
      )}
      <h3>Row policies</h3>
      {policies.length === 0 ? <p class="muted">No row policy filters the rows of users.</p> : (
        <ul class="plain-list">
          {policies.map((p) => (
            <li key={p.id}><span class="mono">{p.table}</span> · <strong>{p.name}</strong> ({p.kind}, {p.commands.join(', ')}){p.using && <> using <code>{p.using}</code></>}{p.check && <> check <code>{p.check}</code></>}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function Sessions({ user, onChanged }: { user: User; onChanged: () => void }) {
  const sessions = useLoad(() => api<{ sessions: Session[] }>(`/admin/users/${encodeURIComponent(user.id)}/sessions`), [user.id]);
  const revoke = async (session: Session) => {
    try {
      await api(`/admin/users/${encodeURIComponent(user.id)}/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' });
      toast('Session ended');
      await sessions.reload();
      onChanged();
    } catch (e) {
      toast((e as ApiError).message, 'error');
    }
  };
  if (sessions.error) return <ErrorState error={sessions.error} retry={sessions.reload} />;
  if (!sessions.data) return <Loading />;
  if (sessions.data.sessions.length === 0) return <p class="muted">No active sessions.</p>;
  return (
    <ul class="plain-list">
      {sessions.data.sessions.map((s) => (
        <li key={s.id} class="session-row">
          <span title={`started ${formatTime(s.created_at)}, expires ${formatTime(s.expires_at)}`}>
            Last used {formatAgo(s.last_used)} from {s.ip ?? 'unknown address'}{s.current && <span class="badge">this session</span>}
            <br /><span class="muted small">{s.user_agent ?? ''}</span>
          </span>
          <Button size="small" variant="danger" onClick={() => void revoke(s)}>End</Button>
        </li>
      ))}
    </ul>
  );
}

export function UserDetailsDialog({ user, onClose, onChanged }: { user: User | null; onClose: () => void; onChanged: () => void }) {
  return (
    <Dialog open={user !== null} title={`${user?.username ?? ''}: access and sessions`} onClose={onClose} wide>
      {user && (
        <div class="user-details">
          <Access user={user} />
          <h3>Active sessions</h3>
          <Sessions user={user} onChanged={onChanged} />
        </div>
      )}
    </Dialog>
  );
}
