/**
 * The script editor's dialogs: a new endpoint or an endpoint's settings (method, path
 * pattern, access, run as; delete), and a new module. `run_as: "owner"` is offered to the
 * owner only (the server refuses it to anyone else) and comes with what it means.
 */
import { useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { boot } from '../../lib/boot.ts';
import { useAction } from '../../lib/use-action.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field, Select } from '../../components/Field.tsx';
import { toast } from '../../components/Toast.tsx';
import { starterSource } from '../../editor/starlark.ts';
import { METHODS, modulePath, type Access, type Endpoint, type Method, type RunAs, type ScriptModule } from './model.ts';

const ACCESS_OPTIONS = [
  { value: 'public', label: 'public — anyone, anonymous callers too' },
  { value: 'user', label: 'user — signed-in users of this cenv' },
  { value: 'admin', label: 'admin — owner and admins only' },
];

export function OwnerWarning({ compact }: { compact?: boolean }) {
  return compact
    ? <span class="badge badge-danger" title="Runs with the owner's rights: every query bypasses grants and row policies">runs as owner</span>
    : (
      <p class="owner-warning" role="note">
        <strong>Runs as the owner.</strong> Every query in this endpoint has the owner's rights and bypasses grants and row
        policies, whoever calls it. Check the caller yourself (<code>req.user</code>) before reading or writing anything private.
      </p>
    );
}

export interface EndpointDialogProps {
  /** null: a new endpoint. */
  endpoint: Endpoint | null;
  open: boolean;
  onClose: () => void;
  onSaved: (endpoint: Endpoint) => void;
  onDeleted?: () => void;
}

export function EndpointDialog({ endpoint, open, onClose, onSaved, onDeleted }: EndpointDialogProps) {
  const [method, setMethod] = useState<Method>(endpoint?.method ?? 'GET');
  const [path, setPath] = useState(endpoint?.path ?? '/');
  const [access, setAccess] = useState<Access>(endpoint?.access ?? 'user');
  const [runAs, setRunAs] = useState<RunAs>(endpoint?.run_as ?? 'caller');
  const action = useAction();
  const deleting = useAction();
  const isOwner = boot.user?.role === 'owner';
  // Admins may only disable or delete an endpoint that runs as the owner.
  const locked = endpoint?.run_as === 'owner' && !isOwner;
  const pathError = action.error && /pattern|path|segment|409|already|same method/i.test(action.error) ? action.error : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!path.startsWith('/')) { action.setError('A path pattern starts with "/", for example /posts/:id.'); return; }
    let saved: Endpoint | undefined;
    const ok = await action.run(async () => {
      saved = endpoint
        ? await api<Endpoint>(`/admin/endpoints/${endpoint.id}`, { method: 'PUT', body: { method, path, access, run_as: runAs } })
        : await api<Endpoint>('/admin/endpoints', { body: { method, path, access, run_as: runAs, source: starterSource(method, path) } });
    });
    if (!ok || !saved) return;
    toast(endpoint ? `Endpoint ${saved.method} ${saved.path} saved` : `Endpoint ${saved.method} ${saved.path} created`);
    onSaved(saved);
    onClose();
  };

  const remove = async () => {
    if (!endpoint) return;
    if (!confirm(`Delete the endpoint ${endpoint.method} ${endpoint.path}? Its versions and run log go too; callers get 404.`)) return;
    if (!(await deleting.run(() => api(`/admin/endpoints/${endpoint.id}`, { method: 'DELETE' })))) return;
    toast(`Endpoint ${endpoint.method} ${endpoint.path} deleted`);
    onDeleted?.();
    onClose();
  };

  return (
    <Dialog open={open} title={endpoint ? `Settings of ${endpoint.method} ${endpoint.path}` : 'New endpoint'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {action.error && !pathError && <p class="form-error" role="alert">{action.error}</p>}
        {deleting.error && <p class="form-error" role="alert">{deleting.error}</p>}
        {locked && <p class="callout">This endpoint runs as the owner: only the owner may change it. You may disable or delete it.</p>}
        <fieldset class="plain-fieldset" disabled={locked}>
        <div class="form-row">
          <Select id="endpoint-method" label="Method" value={method} onValue={(v) => setMethod(v as Method)}
            options={METHODS.map((m) => ({ value: m, label: m === 'ANY' ? 'ANY (every method)' : m }))} />
          <div class="grow">
            <Field id="endpoint-path" label="Path pattern" value={path} onValue={setPath} required maxLength={512} autoFocus spellcheck={false}
              error={pathError} hint={<>Called at <code>/{boot.cenv?.ref}/api{path.startsWith('/') ? path : `/${path}`}</code>. <code>:id</code> is one segment, <code>*rest</code> the rest.</>} />
          </div>
        </div>
        <Select id="endpoint-access" label="Who may call it" value={access} onValue={(v) => setAccess(v as Access)} options={ACCESS_OPTIONS} />
        <Select id="endpoint-run-as" label="Queries run as" value={runAs} onValue={(v) => setRunAs(v as RunAs)} disabled={!isOwner && runAs !== 'owner'}
          options={[
            { value: 'caller', label: 'the caller — their grants and row policies apply' },
            ...(isOwner || runAs === 'owner' ? [{ value: 'owner', label: 'the owner — every row, no policies (definer rights)' }] : []),
          ]} />
        {runAs === 'owner' && <OwnerWarning />}
        {!isOwner && !locked && <p class="hint">Only the owner may make an endpoint run as the owner.</p>}
        </fieldset>
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={action.busy} disabled={locked}>{endpoint ? 'Save settings' : 'Create endpoint'}</Button>
          <Button onClick={onClose}>Cancel</Button>
          {endpoint && <Button variant="danger" class="push-end" busy={deleting.busy} onClick={() => void remove()}>Delete endpoint</Button>}
        </div>
      </form>
    </Dialog>
  );
}

const MODULE_STARTER = '# Shared code: an endpoint uses it with load("NAME", "slugify")\n\ndef slugify(text):\n    return "-".join(text.lower().split())\n';

export function ModuleDialog({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (module: ScriptModule) => void }) {
  const [name, setName] = useState('lib/');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const full = name.endsWith('.star') ? name : `${name}.star`;
    let saved: ScriptModule | undefined;
    const ok = await action.run(async () => {
      saved = await api<ScriptModule>('/admin/modules', { body: { name: full, source: MODULE_STARTER.replace('NAME', full) } });
    });
    if (!ok || !saved) return;
    toast(`Module ${saved.name} created`);
    onSaved(saved);
    onClose();
  };
  return (
    <Dialog open={open} title="New module" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field id="module-name" label="Name" value={name} onValue={setName} required maxLength={128} autoFocus spellcheck={false} error={action.error}
          hint={<>Path-like, ending in <code>.star</code> (added if missing): <code>lib/util.star</code>. Endpoints use it with <code>load("lib/util.star", "name")</code>.</>} />
        <div class="form-actions"><Button type="submit" variant="primary" busy={action.busy}>Create module</Button><Button onClick={onClose}>Cancel</Button></div>
      </form>
    </Dialog>
  );
}

/** Deletes a module after asking; the server refuses (409) while something loads it, and says what. */
export async function deleteModule(name: string): Promise<boolean> {
  if (!confirm(`Delete the module ${name}? Its versions go too.`)) return false;
  try {
    await api(modulePath(name), { method: 'DELETE' });
    toast(`Module ${name} deleted`);
    return true;
  } catch (e) {
    toast(`Not deleted: ${(e as Error).message}`, 'error');
    return false;
  }
}
