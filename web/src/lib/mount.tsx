/**
 * Starting a page: the user's theme first (before anything paints), then the page's
 * component into #app.
 */
import { render, type ComponentChild } from 'preact';
import { boot } from './boot.ts';
import { applyTheme } from './theme.ts';
import '../styles/base.css';

export function mount(page: ComponentChild): void {
  if (boot.prefs) applyTheme(boot.prefs.theme);
  render(page, document.getElementById('app')!);
}
