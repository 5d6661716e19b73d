/**
 * monaco-vim, re-exported from a module of ours so that the dynamic import in vim.ts gets a
 * chunk with a telling name (`vim-keymap-<hash>.js`) that only vim users download.
 */
export { initVimMode, VimMode } from 'monaco-vim';
