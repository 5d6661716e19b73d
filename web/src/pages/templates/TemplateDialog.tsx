/** A new template, or a template's settings (path, syntax, content type; delete). */
import { useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { boot } from '../../lib/boot.ts';
import { useAction } from '../../lib/use-action.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field, Select } from '../../components/Field.tsx';
import { toast } from '../../components/Toast.tsx';
import { CONTENT_TYPES, starterSource, type Syntax, type Template } from './model.ts';

export interface TemplateDialogProps {
  template: Template | null;
  onClose: () => void;
  onSaved: (template: Template) => void;
  onDeleted?: () => void;
}

export function TemplateDialog({ template, onClose, onSaved, onDeleted }: TemplateDialogProps) {
  const [path, setPath] = useState(template?.path ?? '');
  const [syntax, setSyntax] = useState<Syntax>(template?.syntax ?? 'liquid');
  const [contentType, setContentType] = useState(template?.content_type ?? 'text/html');
  const action = useAction();
  const deleting = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const clean = path.trim().replace(/^\/+|\/+$/g, '');
    if (!clean) { action.setError('Give the page a path, such as about, posts/:id or index (the front page).'); return; }
    let saved: Template | undefined;
    const ok = await action.run(async () => {
      saved = template
        ? await api<Template>(`/admin/templates/${template.id}`, { method: 'PUT', body: { path: clean, syntax, content_type: contentType } })
        : await api<Template>('/admin/templates', { body: { path: clean, syntax, content_type: contentType, source: starterSource(syntax, clean) } });
    });
    if (!ok || !saved) return;
    toast(template ? `Template ${saved.path} saved` : `Template ${saved.path} created`);
    onSaved(saved);
    onClose();
  };

  const remove = async () => {
    if (!template) return;
    if (!confirm(`Delete the template ${template.path}? Its pages are taken down (visitors get 404) and its versions go too.`)) return;
    if (!(await deleting.run(() => api(`/admin/templates/${template.id}`, { method: 'DELETE' })))) return;
    toast(`Template ${template.path} deleted`);
    onDeleted?.();
    onClose();
  };

  return (
    <Dialog open title={template ? `Settings of ${template.path}` : 'New template'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {deleting.error && <p class="form-error" role="alert">{deleting.error}</p>}
        <Field id="template-path" label="Path" value={path} onValue={setPath} required maxLength={256} autoFocus spellcheck={false} error={action.error}
          hint={<>Served at <code>/{boot.cenv?.ref}/pages/{path.trim() === 'index' ? '' : path.trim()}</code>. <code>index</code> is the front page, <code>posts/:id</code> takes a parameter, <code>_header</code> is a partial for includes.</>} />
        <Select id="template-syntax" label="Syntax" value={syntax} onValue={(v) => setSyntax(v as Syntax)}
          options={[{ value: 'liquid', label: 'Liquid (HTML with {{ }} and {% %})' }, { value: 'markdown', label: 'Markdown with Liquid (sanitized)' }]} />
        <Select id="template-type" label="Content type" value={contentType} onValue={setContentType} options={CONTENT_TYPES.map((t) => ({ value: t, label: t }))} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={action.busy}>{template ? 'Save settings' : 'Create template'}</Button>
          <Button onClick={onClose}>Cancel</Button>
          {template && <Button variant="danger" class="push-end" busy={deleting.busy} onClick={() => void remove()}>Delete template</Button>}
        </div>
      </form>
    </Dialog>
  );
}
