/**
 * Two texts side by side with their differences marked: Monaco's diff editor, read-only,
 * in the page's theme. Used by the script and template editors' version history (an old
 * version on the left, the current text on the right). The diff is computed in Monaco's
 * editor worker, so it waits a frame or two; `onReady` fires once the first diff is in.
 *
 * @example <DiffView original={v2.source} modified={current} language="starlark" originalLabel="version 2" modifiedLabel="now" />
 */
import { useEffect, useRef } from 'preact/hooks';
import { editorTheme, monaco } from './monaco.ts';
import { isDark, onThemeChange } from '../lib/theme.ts';
import 'monaco-editor/editor/browser/widget/diffEditor/diffEditor.contribution';
import '../styles/editor.css';

export interface DiffViewProps {
  original: string;
  modified: string;
  language: string;
  originalLabel: string;
  modifiedLabel: string;
  /** Called with the number of changed regions once the diff is computed. */
  onDiff?: (changes: number) => void;
}

export function DiffView({ original, modified, language, originalLabel, modifiedLabel, onDiff }: DiffViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const diffRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const callback = useRef(onDiff);
  callback.current = onDiff;

  useEffect(() => {
    const diff = monaco.editor.createDiffEditor(host.current!, {
      readOnly: true, originalEditable: false, automaticLayout: true, renderSideBySide: true, useInlineViewWhenSpaceIsLimited: false,
      minimap: { enabled: false }, scrollBeyondLastLine: false, fontSize: 13, renderOverviewRuler: false, wordWrap: 'on',
      fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
      theme: editorTheme(isDark()), ariaLabel: `Differences between ${originalLabel} and ${modifiedLabel}`,
    });
    diffRef.current = diff;
    const updated = diff.onDidUpdateDiff(() => callback.current?.(diff.getLineChanges()?.length ?? 0));
    const offTheme = onThemeChange((dark) => monaco.editor.setTheme(editorTheme(dark)));
    return () => {
      updated.dispose();
      offTheme();
      const model = diff.getModel();
      diff.dispose();
      model?.original.dispose();
      model?.modified.dispose();
    };
  }, []);

  useEffect(() => {
    const diff = diffRef.current;
    if (!diff) return;
    const before = diff.getModel();
    diff.setModel({ original: monaco.editor.createModel(original, language), modified: monaco.editor.createModel(modified, language) });
    before?.original.dispose();
    before?.modified.dispose();
  }, [original, modified, language]);

  return (
    <div class="diff-view">
      <div class="diff-labels" aria-hidden="true"><span>{originalLabel}</span><span>{modifiedLabel}</span></div>
      <div class="diff-host" ref={host} data-testid="diff" />
    </div>
  );
}
