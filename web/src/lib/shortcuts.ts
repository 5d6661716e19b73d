/**
 * Keyboard shortcuts: one registry, so the `?` help lists exactly what works on the page.
 * Global shortcuts are single keys or two-key sequences (`g` then `c`), ignored while typing
 * in a field or an editor; editor shortcuts (Ctrl/Cmd+Enter) are handled by the editor and
 * only listed here.
 */
export interface Shortcut {
  /** What to press, as shown: ['g', 'c'] or ['Ctrl/⌘', 'Enter']. */
  keys: string[];
  description: string;
  /** Omitted for shortcuts another component handles (listed only). */
  run?: () => void;
  /** Heading in the help. */
  group: string;
}

const shortcuts: Shortcut[] = [];
const listeners = new Set<() => void>();
let pending: string | null = null;
let pendingTimer = 0;

export function registerShortcut(shortcut: Shortcut): () => void {
  shortcuts.push(shortcut);
  listeners.forEach((fn) => fn());
  return () => {
    shortcuts.splice(shortcuts.indexOf(shortcut), 1);
    listeners.forEach((fn) => fn());
  };
}

export function allShortcuts(): readonly Shortcut[] {
  return shortcuts;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.closest) return false;
  return el.isContentEditable || !!el.closest('input, textarea, select, .monaco-editor, [contenteditable], dialog[open] form');
}

window.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const key = event.key;
  const sequence = pending ? [pending, key] : [key];
  const match = shortcuts.find((s) => s.run && s.keys.length === sequence.length && s.keys.every((k, i) => k === sequence[i]));
  if (match) {
    event.preventDefault();
    pending = null;
    match.run!();
    return;
  }
  if (!pending && shortcuts.some((s) => s.run && s.keys.length === 2 && s.keys[0] === key)) {
    pending = key;
    clearTimeout(pendingTimer);
    pendingTimer = window.setTimeout(() => { pending = null; }, 1200);
    return;
  }
  pending = null;
});
