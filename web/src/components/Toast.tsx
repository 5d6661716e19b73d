/**
 * Short confirmations and errors that do not belong to one field ("User bob added"). They
 * are read out by screen readers (a polite live region; errors assertive) and fade after a
 * few seconds; errors stay until dismissed.
 */
import { useEffect, useState } from 'preact/hooks';

interface ToastItem { id: number; text: string; kind: 'ok' | 'error' }

let items: ToastItem[] = [];
let nextId = 0;
const listeners = new Set<(list: ToastItem[]) => void>();

function publish(): void {
  listeners.forEach((fn) => fn(items));
}

/** Shows `text`; errors stay until closed. */
export function toast(text: string, kind: 'ok' | 'error' = 'ok'): void {
  const item = { id: ++nextId, text, kind };
  items = [...items.slice(-3), item];
  publish();
  if (kind === 'ok') setTimeout(() => dismiss(item.id), 4000);
}

function dismiss(id: number): void {
  items = items.filter((item) => item.id !== id);
  publish();
}

export function Toasts() {
  const [list, setList] = useState(items);
  useEffect(() => {
    listeners.add(setList);
    return () => { listeners.delete(setList); };
  }, []);
  return (
    <div class="toasts">
      <div role="status" aria-live="polite">
        {list.filter((t) => t.kind === 'ok').map((t) => <div key={t.id} class="toast toast-ok">{t.text}</div>)}
      </div>
      <div role="alert">
        {list.filter((t) => t.kind === 'error').map((t) => (
          <div key={t.id} class="toast toast-error">
            <span>{t.text}</span>
            <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>×</button>
          </div>
        ))}
      </div>
    </div>
  );
}
