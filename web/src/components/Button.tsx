/**
 * The one button. `busy` shows a spinner, disables it and tells assistive technology
 * (`aria-busy`), so a slow request cannot be sent twice.
 */
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'size' | 'type'> {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  size?: 'small' | 'normal';
  busy?: boolean;
  type?: 'button' | 'submit';
  children?: ComponentChildren;
}

export function Button({ variant = 'secondary', size = 'normal', busy = false, type = 'button', disabled, children, class: className, ...rest }: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, size === 'small' ? 'btn-small' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button {...rest} type={type} class={classes} disabled={disabled || busy} aria-busy={busy || undefined}>
      {busy && <span class="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
