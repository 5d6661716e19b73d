/**
 * The one place Monaco is loaded from. Only pages that edit import this module (directly or
 * through CodeEditor), so the other pages never download Monaco.
 *
 * We import the editor core and a chosen set of contributions instead of `editor.main`,
 * which registers ~80 languages and the TypeScript/CSS/HTML/JSON language services with
 * their large workers: the console needs SQL; the script and template editors register
 * Python (Starlark) and Liquid/HTML themselves when they arrive. The editor's one worker
 * (diffs, word ranges) is a Vite-built file under /static/, loaded from 'self' as the UI's
 * Content-Security-Policy requires (no blob: workers).
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/browser/widget/codeEditor/codeEditorWidget';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo';
import 'monaco-editor/editor/contrib/find/browser/findController';
import 'monaco-editor/editor/contrib/folding/browser/folding';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations';
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon-modifiers.css';

declare global {
  interface Window { MonacoEnvironment?: monaco.Environment }
}

window.MonacoEnvironment = { getWorker: () => new EditorWorker() };

// Monaco's own themes with the editor surface in the page's colours (base.css --surface).
// Diffs (version history) in the page's own green and red (base.css --ok-soft, --danger-soft).
monaco.editor.defineTheme('wce-light', {
  base: 'vs', inherit: true, rules: [],
  colors: {
    'editor.background': '#ffffff',
    'diffEditor.insertedLineBackground': '#e7f5eb', 'diffEditor.insertedTextBackground': '#a8dcb899',
    'diffEditor.removedLineBackground': '#fdecea', 'diffEditor.removedTextBackground': '#f5b5ae99',
  },
});
monaco.editor.defineTheme('wce-dark', {
  base: 'vs-dark', inherit: true, rules: [],
  colors: {
    'editor.background': '#1a1d23', 'editorGutter.background': '#1a1d23', 'editor.lineHighlightBackground': '#22262e',
    'diffEditor.insertedLineBackground': '#16301f', 'diffEditor.insertedTextBackground': '#2f6b4199',
    'diffEditor.removedLineBackground': '#3a1d1b', 'diffEditor.removedTextBackground': '#7a302a99',
  },
});

/** The Monaco theme for the page's light or dark look. */
export function editorTheme(dark: boolean): string {
  return dark ? 'wce-dark' : 'wce-light';
}

export { monaco };
