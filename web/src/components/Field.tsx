/**
 * A labelled form field. The label is a real <label>, the hint and the error are linked
 * with aria-describedby and the error sets aria-invalid, so a screen reader announces what
 * the field is, what it expects and what went wrong.
 */
import type { ComponentChildren, Ref } from 'preact';

/** The input attributes fields use (a closed list keeps the types simple and the markup predictable). */
interface InputAttributes {
  type?: 'text' | 'password';
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  autoFocus?: boolean;
  spellcheck?: boolean;
  placeholder?: string;
  disabled?: boolean;
}

export interface FieldProps extends InputAttributes {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string | null;
  inputRef?: Ref<HTMLInputElement>;
}

export function Field({ id, label, value, onValue, hint, error, inputRef, type = 'text', ...rest }: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        {...rest} id={id} ref={inputRef}
        // Preact types each input type separately; both of ours take the same attributes.
        type={type as 'text'} value={value} aria-invalid={error ? true : undefined} aria-describedby={described}
        onInput={(event) => onValue((event.target as HTMLInputElement).value)}
      />
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="field-error" id={`${id}-error`} role="alert">{error}</p>}
    </div>
  );
}

export interface SelectProps {
  id: string;
  class?: string;
  disabled?: boolean;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onValue: (value: string) => void;
  hideLabel?: boolean;
}

/** A labelled <select>; `hideLabel` keeps the label for screen readers only. */
export function Select({ id, label, value, options, onValue, hideLabel, class: className, disabled }: SelectProps) {
  return (
    <div class={[hideLabel ? 'field field-inline' : 'field', className ?? ''].join(' ').trim()}>
      <label for={id} class={hideLabel ? 'visually-hidden' : undefined}>{label}</label>
      <select id={id} disabled={disabled} value={value} onChange={(event) => onValue((event.target as HTMLSelectElement).value)}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}
