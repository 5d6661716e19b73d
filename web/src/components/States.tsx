/**
 * What a section shows while it has nothing to show: loading (announced politely), empty
 * (what this is and how to fill it), and failed (what happened and what to do).
 */
import type { ComponentChildren } from 'preact';
import { Button } from './Button.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ title, children, action }: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p class="state-title">{title}</p>
      {children && <div class="state-body">{children}</div>}
      {action && <div class="state-action">{action}</div>}
    </div>
  );
}

/** A failure with its message and a retry button; the message says what to do. */
export function ErrorState({ error, retry, title = 'This did not load' }: { error: Error; retry?: () => void; title?: string }) {
  return (
    <div class="state state-error" role="alert">
      <p class="state-title">{title}</p>
      <p class="state-body">{error.message}</p>
      {retry && <Button onClick={retry}>Try again</Button>}
    </div>
  );
}
