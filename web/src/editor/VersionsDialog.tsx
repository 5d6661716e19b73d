/**
 * A saved item's version history (the script and template editors): every saved version (newest first, who and when), and for
 * the one picked, its text beside the editor's current text in Monaco's diff editor; the
 * picked version can be restored (a new version with its text). Any item whose API has the
 * shape `GET {base}/versions`, `GET {base}/versions/{n}`, `POST {base}/versions/{n}/restore`.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { formatAgo, formatBytes, formatTime, plural } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { DiffView } from './DiffView.tsx';

export interface VersionInfo { version: number; created_at: string; created_by: string | null; size: number }

export interface VersionsDialogProps {
  open: boolean;
  title: string;
  /** The item's API path (`/admin/endpoints/3`). */
  base: string;
  language: string;
  current: { version: number; text: string; dirty: boolean };
  userName: (id: string | null) => string;
  /** The text of a version (`source` by default). */
  textOf?: (version: Record<string, unknown>) => string;
  /** What else differs in a version and comes back with it (a template's queries), as sentences. */
  notesOf?: (version: Record<string, unknown>) => string[];
  onClose: () => void;
  /** After a restore: the server's reply (the item with its new version). */
  onRestored: (item: unknown) => void;
}

export function VersionsDialog({ open, title, base, language, current, userName, textOf, notesOf, onClose, onRestored }: VersionsDialogProps) {
  const versions = useLoad(() => api<{ versions: VersionInfo[] }>(`${base}/versions`).then((r) => r.versions), [base]);
  const [picked, setPicked] = useState<number | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [textError, setTextError] = useState<Error | null>(null);
  const [changes, setChanges] = useState<number | null>(null);
  const restore = useAction();

  // Pick the version before the current one (what "what did I change" wants), else the only one.
  useEffect(() => {
    if (!versions.data || picked !== null) return;
    setPicked(versions.data.find((v) => v.version !== current.version)?.version ?? versions.data[0]?.version ?? null);
  }, [versions.data]);

  useEffect(() => {
    if (picked === null) return;
    let live = true;
    setText(null); setTextError(null); setChanges(null); setNotes([]);
    api<Record<string, unknown>>(`${base}/versions/${picked}`).then(
      (v) => { if (live) { setText(textOf ? textOf(v) : String(v.source ?? '')); setNotes(notesOf?.(v) ?? []); } },
      (e: Error) => { if (live) setTextError(e); });
    return () => { live = false; };
  }, [picked, base]);

  const doRestore = async () => {
    if (picked === null) return;
    if (current.dirty && !confirm(`Restore version ${picked}? Your unsaved changes in the editor are replaced.`)) return;
    let reply: unknown;
    if (!(await restore.run(async () => { reply = await api(`${base}/versions/${picked}/restore`, { method: 'POST' }); }))) return;
    onRestored(reply);
    onClose();
  };

  const rightLabel = current.dirty ? 'your unsaved text' : `version ${current.version} (current)`;
  return (
    <Dialog open={open} title={title} onClose={onClose} size="full">
      <div class="versions">
        <nav class="version-list" aria-label="Versions, newest first">
          {versions.error && !versions.data ? <ErrorState error={versions.error} retry={versions.reload} title="The versions did not load" />
            : !versions.data ? <Loading label="Loading versions…" /> : (
              <ol>
                {versions.data.map((v) => (
                  <li key={v.version}>
                    <button type="button" class="version-item" aria-current={picked === v.version ? 'true' : undefined} onClick={() => setPicked(v.version)}>
                      <span class="version-n">Version {v.version}{v.version === current.version && <span class="badge">current</span>}</span>
                      <span class="muted small" title={formatTime(v.created_at)}>{formatAgo(v.created_at)} · {userName(v.created_by)} · {formatBytes(v.size)}</span>
                    </button>
                  </li>
                ))}
              </ol>
            )}
        </nav>
        <section class="version-diff" aria-label="Differences">
          <div class="version-bar">
            <p class="muted small" role="status">
              {picked === null ? 'Pick a version.' : text === null ? 'Loading…' : changes === null ? 'Comparing…'
                : changes === 0 ? `Version ${picked} is the same as ${rightLabel}.` : `${plural(changes, 'change')} between version ${picked} and ${rightLabel}.`}
            </p>
            {restore.error && <p class="form-error" role="alert">{restore.error}</p>}
            <Button variant="primary" busy={restore.busy} disabled={picked === null || (picked === current.version && !current.dirty)} onClick={() => void doRestore()}>
              {picked === null ? 'Restore' : `Restore version ${picked}`}
            </Button>
          </div>
          {notes.map((note) => <p key={note} class="callout small version-note">{note}</p>)}
          {textError ? <ErrorState error={textError} title="That version did not load" />
            : text === null ? <Loading label="Loading the version…" />
              : <DiffView original={text} modified={current.text} language={language} originalLabel={`version ${picked}`} modifiedLabel={rightLabel} onDiff={setChanges} />}
        </section>
      </div>
    </Dialog>
  );
}
