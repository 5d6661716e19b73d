/**
 * Vim keybindings for any Monaco editor (monaco-vim), loaded only when someone turns them
 * on, with its status line (`--NORMAL--`, `--INSERT--`, `--VISUAL--`, and the `:` command
 * line). `:w` calls the editor's own save action — the script and template editors save,
 * the console runs its SQL — registered per editor, because Vim's ex commands are global.
 */
import type { monaco } from './monaco.ts';

type Editor = monaco.editor.IStandaloneCodeEditor;
interface VimAdapter { dispose(): void }

/** Save handler of each attached adapter (`:w`, `:write`, `:wq` without the quit). */
const savers = new WeakMap<object, () => void>();
let exDefined = false;

/**
 * Turns vim mode on for `editor`, its status shown in `statusNode`. Returns a function
 * that turns it off again.
 * @example const off = await enableVim(editor, statusEl, () => save());
 */
export async function enableVim(editor: Editor, statusNode: HTMLElement, onSave: () => void): Promise<() => void> {
  const { initVimMode, VimMode } = await import('./vim-keymap.ts');
  if (!exDefined) {
    const vim = (VimMode as unknown as { Vim: { defineEx(name: string, prefix: string, fn: (cm: object) => void): void } }).Vim;
    const save = (cm: object) => savers.get(cm)?.();
    vim.defineEx('write', 'w', save);
    vim.defineEx('wq', 'wq', save);
    exDefined = true;
  }
  const adapter = initVimMode(editor, statusNode) as unknown as VimAdapter;
  savers.set(adapter, onSave);
  return () => {
    savers.delete(adapter);
    adapter.dispose();
    statusNode.textContent = '';
  };
}
