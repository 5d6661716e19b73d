/**
 * The signed-in user's preferences (vim mode, theme). They arrive with the page (boot data)
 * and are saved on the server (`PUT /{cenv}/me/prefs`), so they follow the person to other
 * devices; listeners hear about changes made on this page.
 */
import { api } from './api.ts';
import { boot, type Prefs } from './boot.ts';

const DEFAULTS: Prefs = { vim_mode: false, theme: 'system' };
let current: Prefs = { ...DEFAULTS, ...boot.prefs };
const listeners = new Set<(prefs: Prefs) => void>();

export function prefs(): Prefs {
  return current;
}

/** Calls `fn` after every change; returns the unsubscribe function. */
export function onPrefs(fn: (prefs: Prefs) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Applies `changes` at once and saves them; on failure the old values come back and the
 * error is thrown for the caller to show.
 * @example await setPrefs({ vim_mode: true })
 */
export async function setPrefs(changes: Partial<Prefs>): Promise<void> {
  const before = current;
  current = { ...current, ...changes };
  listeners.forEach((fn) => fn(current));
  try {
    const saved = await api<{ prefs: Prefs }>('/me/prefs', { method: 'PUT', body: changes });
    current = saved.prefs;
  } catch (error) {
    current = before;
    throw error;
  } finally {
    listeners.forEach((fn) => fn(current));
  }
}
