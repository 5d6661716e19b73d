/**
 * Creating or editing a row policy. The USING and CHECK expressions are SQL expressions
 * over the table's columns and `$user_id`, `$username`, `$role`; the editor offers those as
 * buttons that insert at the cursor. The server parses and prepares each expression against
 * the table before storing anything, and its message is shown next to the expressions.
 */
import { useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field, Select } from '../../components/Field.tsx';
import { toast } from '../../components/Toast.tsx';
import type { Policy } from '../users/types.ts';
import { PolicyPreview } from './PolicyPreview.tsx';

const COMMANDS = ['all', 'select', 'insert', 'update', 'delete'];
const ROLES = ['user', 'anonymous'];
const PARAMS = ['$user_id', '$username', '$role'];

function ExpressionEditor({ id, label, value, onValue, columns, hint, invalid }: {
  id: string; label: string; value: string; onValue: (v: string) => void; columns: string[]; hint: string; invalid: boolean;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const insert = (text: string) => {
    const el = ref.current!;
    const start = el.selectionStart;
    const next = `${value.slice(0, start)}${text}${value.slice(el.selectionEnd)}`;
    onValue(next);
    requestAnimationFrame(() => { el.focus(); el.setSelectionRange(start + text.length, start + text.length); });
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} ref={ref} rows={2} value={value} spellcheck={false} aria-invalid={invalid || undefined} aria-describedby={`${id}-hint`}
        placeholder="author = $user_id" onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)} />
      <div class="chips" role="group" aria-label={`Insert into ${label}`}>
        {[...PARAMS, ...columns].map((word) => <button type="button" key={word} class="chip mono" onClick={() => insert(word)}>{word}</button>)}
      </div>
      <p class="hint" id={`${id}-hint`}>{hint}</p>
    </div>
  );
}

function Checks({ legend, options, value, onValue }: { legend: string; options: string[]; value: string[]; onValue: (v: string[]) => void }) {
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}><input type="checkbox" checked={value.includes(o)} onChange={(e) => onValue((e.target as HTMLInputElement).checked ? [...value, o] : value.filter((v) => v !== o))} /> {o}</label>
      ))}
    </fieldset>
  );
}

export interface PolicyFormProps { policy: Policy | null; table: string; columns: string[]; open: boolean; onClose: () => void; onSaved: () => void }

export function PolicyDialog({ policy, table, columns, open, onClose, onSaved }: PolicyFormProps) {
  const [name, setName] = useState(policy?.name ?? '');
  const [commands, setCommands] = useState<string[]>(policy?.commands ?? ['all']);
  const [roles, setRoles] = useState<string[]>(policy?.roles ?? ['user']);
  const [kind, setKind] = useState<string>(policy?.kind ?? 'permissive');
  const [using, setUsing] = useState(policy?.using ?? '');
  const [check, setCheck] = useState(policy?.check ?? '');
  const action = useAction();
  const error = action.error;
  const expressionError = error !== null && /expression|using|check|column|syntax/i.test(error);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = { table, name, commands, roles, kind, using: using.trim() || null, check: check.trim() || null };
    const saved = await action.run(() => (policy ? api(`/admin/policies/${policy.id}`, { method: 'PUT', body }) : api('/admin/policies', { body })));
    if (!saved) return;
    toast(`Policy "${name}" saved on ${table}`);
    onSaved();
    onClose();
  };

  return (
    <Dialog open={open} title={policy ? `Edit policy on ${table}` : `New policy on ${table}`} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        {error && !expressionError && <p class="form-error" role="alert">{error}</p>}
        <Field id="policy-name" label="Name" value={name} onValue={setName} required maxLength={63} hint="Shown in errors: new row violates row policy “name”." />
        <div class="form-row">
          <Checks legend="Commands" options={COMMANDS} value={commands} onValue={setCommands} />
          <Checks legend="Roles" options={ROLES} value={roles} onValue={setRoles} />
          <Select id="policy-kind" label="Kind" value={kind} onValue={setKind}
            options={[{ value: 'permissive', label: 'permissive (OR with others)' }, { value: 'restrictive', label: 'restrictive (AND with others)' }]} />
        </div>
        <ExpressionEditor id="policy-using" label="USING: which existing rows it sees" value={using} onValue={setUsing} columns={columns} invalid={expressionError}
          hint="Rows failing it are skipped by select, update and delete. Not for insert-only policies." />
        <ExpressionEditor id="policy-check" label="CHECK: which new rows it may write" value={check} onValue={setCheck} columns={columns} invalid={expressionError}
          hint="Insert and update fail with a 403 naming the policy when a new row fails it. Not for select/delete-only policies." />
        {error && expressionError && <p class="form-error" role="alert">{error}</p>}
        <PolicyPreview draft={{ ...(policy ? { id: policy.id } : {}), table, name, commands, roles, kind, using: using.trim() || null, check: check.trim() || null }} />
        <div class="form-actions"><Button type="submit" variant="primary" busy={action.busy}>Validate and save</Button><Button onClick={onClose}>Cancel</Button></div>
      </form>
    </Dialog>
  );
}
