/**
 * A user's IDE preferences (`_wce_user_prefs`), kept server-side so they follow the person
 * across reloads and devices. The keys are a short fixed list, each with its type and
 * default: the client can only store what the IDE understands, so the table cannot become
 * a free-form store.
 *
 * @example
 *   writePrefs(db, userId, { vim_mode: true });
 *   readPrefs(db, userId).vim_mode // true
 */
import type { DatabaseSync } from 'node:sqlite';
import { nowIso } from '../tools/time.ts';
import { prepared } from '../tools/statement-cache.ts';
import { transaction } from '../tools/transaction.ts';

export const THEMES = ['system', 'light', 'dark'] as const;

/** Every preference: its default and its check. */
const PREFS = {
  /** Vim keybindings in every editor. */
  vim_mode: { default: false as boolean, problem: (v: unknown) => (typeof v === 'boolean' ? null : 'vim_mode must be true or false') },
  /** Colour theme; `system` follows the operating system. */
  theme: {
    default: 'system' as (typeof THEMES)[number],
    problem: (v: unknown) => ((THEMES as readonly unknown[]).includes(v) ? null : `theme must be one of ${THEMES.join(', ')}`),
  },
} as const;

export type PrefKey = keyof typeof PREFS;
export type Prefs = { [K in PrefKey]: (typeof PREFS)[K]['default'] };
export const PREF_KEYS = Object.keys(PREFS) as PrefKey[];

/**
 * Why `changes` cannot be stored, or null.
 * @example prefsProblem({ vim_mode: 'yes' }) // 'vim_mode must be true or false'
 */
export function prefsProblem(changes: Record<string, unknown>): string | null {
  const keys = Object.keys(changes);
  if (keys.length === 0) return 'send at least one preference';
  for (const key of keys) {
    if (!Object.hasOwn(PREFS, key)) return `unknown preference "${key.slice(0, 64)}"; known: ${PREF_KEYS.join(', ')}`;
    const problem = PREFS[key as PrefKey].problem(changes[key]);
    if (problem) return problem;
  }
  return null;
}

/** The user's preferences, defaults filled in. A stored value that no longer passes its check reads as the default. */
export function readPrefs(db: DatabaseSync, userId: string): Prefs {
  const prefs: Record<string, unknown> = Object.fromEntries(PREF_KEYS.map((key) => [key, PREFS[key].default]));
  const rows = prepared(db, 'SELECT key, value FROM _wce_user_prefs WHERE user_id = ?').all(userId) as Array<{ key: string; value: string }>;
  for (const { key, value } of rows) {
    if (!Object.hasOwn(PREFS, key)) continue;
    try {
      const parsed: unknown = JSON.parse(value);
      if (PREFS[key as PrefKey].problem(parsed) === null) prefs[key] = parsed;
    } catch { /* a damaged value reads as the default */ }
  }
  return prefs as Prefs;
}

/**
 * Stores `changes` (already checked with prefsProblem) and returns the preferences as they are now.
 * @example writePrefs(db, userId, { theme: 'dark' })
 */
export function writePrefs(db: DatabaseSync, userId: string, changes: Partial<Prefs>): Prefs {
  const problem = prefsProblem(changes);
  if (problem) throw new TypeError(problem);
  transaction(db, () => {
    const upsert = prepared(db, `INSERT INTO _wce_user_prefs (user_id, key, value, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    const now = nowIso();
    for (const [key, value] of Object.entries(changes)) upsert.run(userId, key, JSON.stringify(value), now);
  });
  return readPrefs(db, userId);
}
