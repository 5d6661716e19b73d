/** The add-user and reset-password dialogs of the users page. */
import { useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field, Select } from '../../components/Field.tsx';
import { toast } from '../../components/Toast.tsx';
import type { User } from './types.ts';

const SHORT = 'The password needs at least 8 characters.';

export function AddUserDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('user');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < 8) { action.setError(SHORT); return; }
    if (!(await action.run(() => api<User>('/admin/users', { body: { username, password, role } })))) return;
    toast(`User ${username} added`);
    setUsername(''); setPassword(''); setRole('user');
    onAdded();
    onClose();
  };
  return (
    <Dialog open={open} title="Add a user" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {action.error && <p class="form-error" role="alert">{action.error}</p>}
        <Field id="new-username" label="Username" value={username} onValue={setUsername} autoComplete="off" required maxLength={64} autoFocus />
        <Field id="new-password" label="Password" type="password" value={password} onValue={setPassword} autoComplete="new-password" required hint="At least 8 characters. Tell it to the person; they can change it under their name in the top bar." />
        <Select id="new-role" label="Role" value={role} onValue={setRole} options={[{ value: 'user', label: 'user — what their grants allow' }, { value: 'admin', label: 'admin — everything but ownership' }]} />
        <div class="form-actions"><Button type="submit" variant="primary" busy={action.busy}>Add user</Button><Button onClick={onClose}>Cancel</Button></div>
      </form>
    </Dialog>
  );
}

export function PasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!user) return;
    if (password.length < 8) { action.setError(SHORT); return; }
    if (!(await action.run(() => api(`/admin/users/${encodeURIComponent(user.id)}`, { method: 'PUT', body: { password } })))) return;
    toast(`Password of ${user.username} changed; their sessions were ended`);
    setPassword('');
    onClose();
  };
  return (
    <Dialog open={user !== null} title={`Reset the password of ${user?.username ?? ''}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {action.error && <p class="form-error" role="alert">{action.error}</p>}
        <Field id="reset-password" label="New password" type="password" value={password} onValue={setPassword} autoComplete="new-password" required autoFocus
          hint="At least 8 characters. Their sessions end, so they log in again with it." />
        <div class="form-actions"><Button type="submit" variant="primary" busy={action.busy}>Set password</Button><Button onClick={onClose}>Cancel</Button></div>
      </form>
    </Dialog>
  );
}
