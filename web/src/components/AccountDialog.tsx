/**
 * "Your account", opened from your name in the top bar: who you are signed in as, and a form
 * to change your own password (the current one, the new one twice). The server ends your
 * other sessions and keeps this one, so the page stays usable afterwards.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { useAction } from '../lib/use-action.ts';
import { Button } from './Button.tsx';
import { Dialog } from './Dialog.tsx';
import { Field } from './Field.tsx';
import { toast } from './Toast.tsx';

type FieldName = 'current' | 'next' | 'again';

export function AccountDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [fieldError, setFieldError] = useState<{ field: FieldName; message: string } | null>(null);
  const action = useAction();
  const close = () => {
    setCurrent(''); setNext(''); setAgain(''); setFieldError(null); action.setError(null);
    onClose();
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setFieldError(null);
    // The checks a person can fix before a round trip; the server checks them all again.
    if (!current) return setFieldError({ field: 'current', message: 'Enter the password you use now.' });
    if ([...next].length < 8) return setFieldError({ field: 'next', message: 'The new password needs at least 8 characters.' });
    if (next !== again) return setFieldError({ field: 'again', message: 'The two new passwords differ; type it again.' });
    let ended = 0;
    const ok = await action.run(async () => {
      try {
        ended = (await api<{ other_sessions_ended: number }>('/me/password', { body: { current_password: current, new_password: next } })).other_sessions_ended;
      } catch (error) {
        // A field the server names gets the message beside it rather than above the form.
        const field = error instanceof ApiError ? error.details?.field : undefined;
        if (field === 'current_password') { setFieldError({ field: 'current', message: 'That is not your current password.' }); throw new Error('Nothing changed.'); }
        if (field === 'new_password') { setFieldError({ field: 'next', message: error instanceof Error ? error.message.replace(/^new_password:?\s*/, '') : '' }); throw new Error('Nothing changed.'); }
        throw error;
      }
    });
    if (!ok) return;
    toast(ended > 0 ? `Password changed; your ${ended} other session${ended === 1 ? '' : 's'} ended` : 'Password changed');
    close();
  };
  const errorOf = (field: FieldName) => (fieldError?.field === field ? fieldError.message : null);
  return (
    <Dialog open={open} title="Your account" onClose={close}>
      <p>Signed in as <strong>{boot.user?.username}</strong> ({boot.user?.role}) on this cenv.</p>
      <form onSubmit={submit} noValidate aria-label="Change your password">
        <h3>Change your password</h3>
        {action.error && <p class="form-error" role="alert">{action.error}</p>}
        <Field id="account-current" label="Current password" type="password" value={current} onValue={setCurrent} autoComplete="current-password" required autoFocus error={errorOf('current')} />
        <Field id="account-new" label="New password" type="password" value={next} onValue={setNext} autoComplete="new-password" required error={errorOf('next')}
          hint="At least 8 characters. Your sessions in other browsers end; this one stays." />
        <Field id="account-again" label="New password, again" type="password" value={again} onValue={setAgain} autoComplete="new-password" required error={errorOf('again')} />
        <div class="form-actions"><Button type="submit" variant="primary" busy={action.busy}>Change password</Button><Button onClick={close}>Cancel</Button></div>
      </form>
    </Dialog>
  );
}
