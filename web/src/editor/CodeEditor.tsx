/**
 * The editor every IDE page uses: Monaco with the page's language, light/dark following the
 * theme, Ctrl/Cmd+Enter (run) and Ctrl/Cmd+S (save) handled ahead of vim, and a status line
 * with the vim toggle and vim's mode. The vim preference is the user's, saved server-side,
 * so it follows them to every editor and device. Pages talk to it through `EditorHandle`.
 *
 * @example <CodeEditor language="sql" value={draft} label="SQL" onRun={run} onSave={run} onReady={(h) => (handle = h)} />
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { editorTheme, monaco } from './monaco.ts';
import { enableVim } from './vim.ts';
import { onPrefs, prefs, setPrefs } from '../lib/prefs.ts';
import { isDark, onThemeChange } from '../lib/theme.ts';
import { toast } from '../components/Toast.tsx';
import '../styles/editor.css';

export interface EditorHandle {
  editor: monaco.editor.IStandaloneCodeEditor;
  getValue(): string;
  /** Replaces the text (the cursor goes to the end, or the start: for a document just opened). */
  setValue(text: string, cursor?: 'start' | 'end'): void;
  /** The selected text and its offset, or null when nothing is selected. */
  selection(): { text: string; start: number } | null;
  /** The offset of the cursor. */
  cursorOffset(): number;
  /** Underlines [start, end) with `message` (hover shows it) and moves the cursor there. */
  markError(start: number, end: number, message: string): void;
  /**
   * Underlines the word at each 1-based line and column (hover shows its message); the cursor
   * goes to the first unless `moveCursor` is false (marks that come while the person types).
   */
  markErrors(marks: Array<{ line: number; column: number; message: string }>, moveCursor?: boolean): void;
  clearMarks(): void;
  insert(text: string): void;
  focus(): void;
}

export interface CodeEditorProps {
  language: string;
  value: string;
  label: string;
  onChange?: (value: string) => void;
  onRun?: () => void;
  onSave?: () => void;
  onReady?: (handle: EditorHandle) => void;
  /** What `:w` does here, shown in the status line ("runs", "saves"). */
  saveLabel?: string;
  /** Shown but not editable (a script the user may not change). */
  readOnly?: boolean;
}

const MARK_OWNER = 'wce';

function handleFor(editor: monaco.editor.IStandaloneCodeEditor): EditorHandle {
  const model = editor.getModel()!;
  return {
    editor,
    getValue: () => model.getValue(),
    setValue: (text, cursor = 'end') => {
      editor.setValue(text);
      editor.setPosition(model.getPositionAt(cursor === 'end' ? text.length : 0));
      if (cursor === 'start') editor.setScrollTop(0);
    },
    selection() {
      const range = editor.getSelection();
      if (!range || range.isEmpty()) return null;
      return { text: model.getValueInRange(range), start: model.getOffsetAt(range.getStartPosition()) };
    },
    cursorOffset: () => model.getOffsetAt(editor.getPosition() ?? { lineNumber: 1, column: 1 }),
    markError(start, end, message) {
      const from = model.getPositionAt(start);
      const to = model.getPositionAt(Math.max(end, start + 1));
      monaco.editor.setModelMarkers(model, MARK_OWNER, [{
        severity: monaco.MarkerSeverity.Error, message,
        startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column,
      }]);
      editor.setPosition(from);
      editor.revealPositionInCenterIfOutsideViewport(from);
    },
    markErrors(marks, moveCursor = true) {
      monaco.editor.setModelMarkers(model, MARK_OWNER, marks.map(({ line, column, message }) => {
        const lineNumber = Math.min(Math.max(1, line), model.getLineCount());
        const startColumn = Math.min(Math.max(1, column), model.getLineMaxColumn(lineNumber));
        const word = model.getWordAtPosition({ lineNumber, column: startColumn });
        const endColumn = word && word.startColumn === startColumn ? word.endColumn : Math.min(startColumn + 1, model.getLineMaxColumn(lineNumber) + 1);
        return { severity: monaco.MarkerSeverity.Error, message, startLineNumber: lineNumber, startColumn, endLineNumber: lineNumber, endColumn: Math.max(endColumn, startColumn + 1) };
      }));
      if (marks.length > 0 && moveCursor) {
        const at = { lineNumber: Math.min(Math.max(1, marks[0].line), model.getLineCount()), column: Math.max(1, marks[0].column) };
        editor.setPosition(at);
        editor.revealPositionInCenterIfOutsideViewport(at);
      }
    },
    clearMarks: () => monaco.editor.setModelMarkers(model, MARK_OWNER, []),
    insert(text) {
      editor.executeEdits('wce', [{ range: editor.getSelection()!, text, forceMoveMarkers: true }]);
      editor.focus();
    },
    focus: () => editor.focus(),
  };
}

export function CodeEditor({ language, value, label, onChange, onRun, onSave, onReady, saveLabel = 'saves', readOnly = false }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const status = useRef<HTMLSpanElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // The latest callbacks, so handlers registered once always call the current ones.
  const callbacks = useRef({ onRun, onSave, onChange });
  callbacks.current = { onRun, onSave, onChange };
  const [vim, setVim] = useState(prefs().vim_mode);

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      value, language, ariaLabel: label, automaticLayout: true, minimap: { enabled: false }, fontSize: 14,
      fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
      scrollBeyondLastLine: false, renderLineHighlight: 'line', tabSize: 2, wordWrap: 'on', fixedOverflowWidgets: true,
      theme: editorTheme(isDark()), padding: { top: 8 }, readOnly,
    });
    editorRef.current = editor;
    // Registered before vim attaches, so these keys reach us in every vim mode.
    editor.onKeyDown((event) => {
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.keyCode === monaco.KeyCode.Enter && callbacks.current.onRun) {
        event.preventDefault(); event.stopPropagation(); callbacks.current.onRun();
      } else if (mod && event.keyCode === monaco.KeyCode.KeyS && callbacks.current.onSave) {
        event.preventDefault(); event.stopPropagation(); callbacks.current.onSave();
      }
    });
    editor.onDidChangeModelContent(() => callbacks.current.onChange?.(editor.getValue()));
    const offTheme = onThemeChange((dark) => monaco.editor.setTheme(editorTheme(dark)));
    const offPrefs = onPrefs((p) => setVim(p.vim_mode));
    onReady?.(handleFor(editor));
    return () => { offTheme(); offPrefs(); editor.getModel()?.dispose(); editor.dispose(); };
  }, []);

  useEffect(() => { editorRef.current?.updateOptions({ readOnly }); }, [readOnly]);

  useEffect(() => {
    if (!vim || !editorRef.current || !status.current) return;
    let off: (() => void) | null = null;
    let cancelled = false;
    enableVim(editorRef.current, status.current, () => callbacks.current.onSave?.()).then((fn) => {
      if (cancelled) fn(); else off = fn;
    }, (error: Error) => toast(`Vim mode did not load: ${error.message}`, 'error'));
    return () => { cancelled = true; off?.(); };
  }, [vim]);

  const toggle = (on: boolean) => {
    setVim(on);
    setPrefs({ vim_mode: on }).catch((e: Error) => toast(`Vim preference not saved: ${e.message}`, 'error'));
    editorRef.current?.focus();
  };

  return (
    <div class="code-editor">
      <div class="code-editor-host" ref={host} />
      <div class="editor-status">
        <label class="vim-toggle">
          <input type="checkbox" checked={vim} onChange={(e) => toggle((e.target as HTMLInputElement).checked)} /> Vim mode
        </label>
        <span class="vim-status mono" ref={status} aria-live="polite" data-testid="vim-status" />
        {vim && <span class="muted small editor-hint">:w {saveLabel}</span>}
      </div>
    </div>
  );
}
