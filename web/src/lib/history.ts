/**
 * The console's query history, per cenv and per user, in this browser's localStorage: it
 * survives reloads, holds the last MAX entries, and skips a run identical to the one before.
 */
export interface HistoryEntry {
  sql: string;
  at: string;
  ok: boolean;
  ms: number;
  /** Rows returned or changed, or the error's message. */
  summary: string;
  asUser?: string;
}

const MAX = 200;

function key(cenvId: string, userId: string): string {
  return `wce:history:${cenvId}:${userId}`;
}

/** Newest first. */
export function loadHistory(cenvId: string, userId: string): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(cenvId, userId)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as HistoryEntry[]).filter((e) => typeof e?.sql === 'string') : [];
  } catch {
    return [];
  }
}

/** Adds `entry` in front and returns the new list. */
export function addHistory(cenvId: string, userId: string, entry: HistoryEntry): HistoryEntry[] {
  const list = loadHistory(cenvId, userId);
  if (list[0]?.sql === entry.sql) list.shift();
  list.unshift(entry);
  const kept = list.slice(0, MAX);
  try {
    localStorage.setItem(key(cenvId, userId), JSON.stringify(kept));
  } catch { /* storage full or disabled: the history lives for this page only */ }
  return kept;
}

export function clearHistory(cenvId: string, userId: string): void {
  localStorage.removeItem(key(cenvId, userId));
}
