/**
 * A form's submit: `busy` while it runs (the button shows it and cannot be pressed twice),
 * and the failure's message as a sentence in `error`, to show next to the form.
 *
 * @example
 *   const action = useAction();
 *   const submit = (e: Event) => { e.preventDefault(); void action.run(() => api('/admin/users', { body })); };
 *   {action.error && <p class="form-error" role="alert">{action.error}</p>}
 */
import { useState } from 'preact/hooks';
import { sentence } from './format.ts';

export interface Action {
  busy: boolean;
  error: string | null;
  setError: (message: string | null) => void;
  /** Runs `fn`; true when it succeeded. */
  run: (fn: () => Promise<unknown>) => Promise<boolean>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(sentence((e as Error).message));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
