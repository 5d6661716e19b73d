/**
 * A modal dialog on the native <dialog>: the browser traps focus, Escape closes it, and the
 * page behind is inert. `title` labels it for screen readers.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
  /** Nearly the whole window (a diff, a large form). */
  size?: 'full';
}

let counter = 0;

export function Dialog({ open, title, onClose, children, wide, size }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useRef(`dialog-${++counter}`).current;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class={size === 'full' ? 'dialog dialog-full' : wide ? 'dialog dialog-wide' : 'dialog'} aria-labelledby={`${id}-title`} onClose={onClose}>
      {open && (
        <div class="dialog-body">
          <header class="dialog-header">
            <h2 id={`${id}-title`}>{title}</h2>
            <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>×</button>
          </header>
          {children}
        </div>
      )}
    </dialog>
  );
}
