/**
 * Light and dark themes. By default the page follows the system (`prefers-color-scheme`, in
 * CSS); a user's `theme` preference pins one by setting `data-theme` on <html>. Code that
 * draws its own colours (Monaco) asks `isDark()` and listens with `onThemeChange`.
 */
import type { Theme } from './boot.ts';

const media = window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<(dark: boolean) => void>();

/** Sets the theme preference on the document. */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  listeners.forEach((fn) => fn(isDark()));
}

export function isDark(): boolean {
  const pinned = document.documentElement.dataset.theme;
  return pinned ? pinned === 'dark' : media.matches;
}

/** Calls `fn(dark)` whenever the effective theme changes; returns the unsubscribe function. */
export function onThemeChange(fn: (dark: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

media.addEventListener('change', () => listeners.forEach((fn) => fn(isDark())));
