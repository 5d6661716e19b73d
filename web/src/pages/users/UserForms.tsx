/** The add-user and reset-password dialogs of the users page. */
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../lib/api.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field, Select } from '../../components/Field.tsx';
import { toast } from '../../components/Toast.tsx';
import type { User } from './types.ts';

function sentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

export function AddUserDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('user');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < 8) { setError('The password needs at least 8 characters.'); return; }
    setBusy(true);
    setError(null);
    try {
      await api<User>('/admin/users', { body: { username, password, role } });
      toast(`User ${username} added`);
      setUsername(''); setPassword(''); setRole('user');
      onAdded();
      onClose();
    } catch (e) {
      setError(sentence((e as ApiError).message));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title="Add a user" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {error && <p class="form-error" role="alert">{error}</p>}
        <Field id="new-username" label="Username" value={username} onValue={setUsername} autoComplete="off" required maxLength={64} autoFocus />
        <Field id="new-password" label="Password" type="password" value={password} onValue={setPassword} autoComplete="new-password" required hint="At least 8 characters. Tell it to the person; they can't change it themselves yet." />
        <Select id="new-role" label="Role" value={role} onValue={setRole} options={[{ value: 'user', label: 'user — what their grants allow' }, { value: 'admin', label: 'admin — everything but ownership' }]} />
        <div class="form-actions"><Button type="submit" variant="primary" busy={busy}>Add user</Button><Button onClick={onClose}>Cancel</Button></div>
      </form>
    </Dialog>
  );
}

export function PasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!user) return;
    if (password.length < 8) { setError('The password needs at least 8 characters.'); return; }
    setBusy(true);
    setError(null);
    try {
      await api(`/admin/users/${encodeURIComponent(user.id)}`, { method: 'PUT', body: { password } });
      toast(`Password of ${user.username} changed; their sessions were ended`);
      setPassword('');
      onClose();
    } catch (e) {
      setError(sentence((e as ApiError).message));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={user !== null} title={`Reset the password of ${user?.username ?? ''}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {error && <p class="form-error" role="alert">{error}</p>}
        <Field id="reset-password" label="New password" type="password" value={password} onValue={setPassword} autoComplete="new-password" required autoFocus
          hint="At least 8 characters. Their sessions end, so they log in again with it." />
        <div class="form-actions"><Button type="submit" variant="primary" busy={busy}>Set password</Button><Button onClick={onClose}>Cancel</Button></div>
      </form>
    </Dialog>
  );
}
