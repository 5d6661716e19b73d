/**
 * `/{cenv}/admin/config`: every setting of the cenv with the value in force, where it comes
 * from (WCE's default, the server's variable, or this cenv) and what may be set here. The
 * owner edits values and saves them together: the API checks every key before writing any
 * and names the one it refuses, shown above the table and on its row. A key set for this
 * cenv can be reset to the server's value. Admins see the page read-only.
 */
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../lib/api.ts';
import { boot } from '../../lib/boot.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Button } from '../../components/Button.tsx';
import { Shell } from '../../components/Shell.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { toast } from '../../components/Toast.tsx';

export interface Setting {
  key: string;
  value: number | string[];
  default: number | string[];
  source: 'default' | 'env' | 'cenv';
  type: 'integer' | 'origins';
  min?: number;
  max?: number;
  zero_means?: string;
  env?: string;
  env_role?: 'default' | 'ceiling';
  description: string;
}

const SOURCE: Record<Setting['source'], string> = { default: 'WCE default', env: 'server', cenv: 'this cenv' };

/** The text an input shows for a value. */
function text(setting: Setting, value: Setting['value']): string {
  return setting.type === 'origins' ? (value as string[]).join('\n') : String(value);
}

/** What the API gets for an edited text: numbers as numbers, origins one per line; anything else as typed, for the API to refuse by name. */
function parsed(setting: Setting, draft: string): unknown {
  if (setting.type === 'origins') return draft.split('\n').map((line) => line.trim()).filter(Boolean);
  return /^\s*\d+\s*$/.test(draft) ? Number(draft) : draft;
}

function Range({ setting }: { setting: Setting }) {
  if (setting.type !== 'integer') return <span class="muted">origins, one per line</span>;
  const ceiling = setting.env_role === 'ceiling' ? ` (capped by ${setting.env})` : '';
  return <span class="muted">{setting.min}–{setting.max}{setting.zero_means ? `; 0: ${setting.zero_means}` : ''}{ceiling}</span>;
}

function SettingRow({ setting, draft, onDraft, owner, refused, onReset }: {
  setting: Setting; draft: string | undefined; onDraft: (value: string) => void; owner: boolean; refused: boolean; onReset: () => void;
}) {
  const id = `setting-${setting.key}`;
  const value = draft ?? text(setting, setting.value);
  const common = { id, disabled: !owner, 'aria-invalid': refused || undefined, 'aria-describedby': `${id}-desc` };
  return (
    <tr class={draft !== undefined ? 'row-changed' : undefined}>
      <th scope="row">
        <label for={id}><code>{setting.key}</code></label>
        <p class="hint" id={`${id}-desc`}>{setting.description}</p>
      </th>
      <td data-label="Value">
        {setting.type === 'origins'
          ? <textarea {...common} rows={Math.max(2, value.split('\n').length)} spellcheck={false} value={value} onInput={(e) => onDraft((e.target as HTMLTextAreaElement).value)} />
          : <input {...common} type="text" inputMode="numeric" class="num-input" value={value} onInput={(e) => onDraft((e.target as HTMLInputElement).value)} />}
      </td>
      <td data-label="From"><span class={`badge badge-source-${setting.source}`}>{SOURCE[setting.source]}</span></td>
      <td data-label="Server value"><code>{text(setting, setting.default) || '(none)'}</code></td>
      <td data-label="Allowed"><Range setting={setting} /></td>
      <td data-label="">
        {owner && setting.source === 'cenv' && <Button size="small" onClick={onReset} aria-label={`Reset ${setting.key} to the server value`}>Reset</Button>}
      </td>
    </tr>
  );
}

export function ConfigPage() {
  const settings = useLoad(() => api<{ settings: Setting[] }>('/admin/config'));
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const owner = boot.user?.role === 'owner';
  const list = settings.data?.settings;
  const changed = Object.keys(drafts);

  const save = async () => {
    if (!list) return;
    const body = Object.fromEntries(changed.map((key) => [key, parsed(list.find((s) => s.key === key)!, drafts[key])]));
    setSaving(true);
    try {
      await api('/admin/config', { method: 'PUT', body });
      setDrafts({});
      setProblem(null);
      toast(`Saved: ${changed.join(', ')}. It applies from the next request.`);
      await settings.reload();
    } catch (e) {
      setProblem((e as ApiError).message);
    } finally {
      setSaving(false);
    }
  };
  const reset = async (key: string) => {
    try {
      await api(`/admin/config/${encodeURIComponent(key)}`, { method: 'DELETE' });
      toast(`${key} follows the server value again`);
      setDrafts(({ [key]: _, ...rest }) => rest);
    } catch (e) {
      toast((e as ApiError).message, 'error');
    }
    await settings.reload();
  };
  const refusedKey = problem ? list?.find((s) => problem.includes(s.key))?.key : undefined;
  return (
    <Shell title="Settings" actions={owner && (
      <>
        {changed.length > 0 && <Button onClick={() => { setDrafts({}); setProblem(null); }}>Discard</Button>}
        <Button variant="primary" busy={saving} disabled={changed.length === 0} onClick={() => void save()}>
          {changed.length > 1 ? `Save ${changed.length} changes` : 'Save'}
        </Button>
      </>
    )}>
      {settings.error && !list ? <ErrorState error={settings.error} retry={settings.reload} /> : !list ? <Loading label="Loading settings…" /> : (
        <>
          <p class="muted">
            {owner ? 'Changes are checked together and saved together; they apply from the next request.' : 'Only the owner changes settings.'}
            {' '}A server value marked as a ceiling is also the most this cenv may set.
          </p>
          {problem && <p class="alert-error" role="alert">Nothing was saved: {problem}</p>}
          <div class="settings-table">
          <Table caption="Settings of this cenv" stack head={['Setting', 'Value', 'From', 'Server value', 'Allowed', { label: '', srOnly: 'Actions' }]}>
            {list.map((setting) => (
              <SettingRow key={setting.key} setting={setting} draft={drafts[setting.key]} owner={owner} refused={refusedKey === setting.key}
                onDraft={(value) => setDrafts((d) => ({ ...d, [setting.key]: value }))} onReset={() => void reset(setting.key)} />
            ))}
          </Table>
          </div>
        </>
      )}
    </Shell>
  );
}
