/** The `?` dialog: every shortcut registered on this page, grouped. */
import { useEffect, useState } from 'preact/hooks';
import { allShortcuts, registerShortcut } from '../lib/shortcuts.ts';
import { Dialog } from './Dialog.tsx';

let openHelp: () => void = () => {};

/** Opens the shortcut help (the header's "?" button). */
export function showShortcuts(): void {
  openHelp();
}

export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    openHelp = () => setOpen(true);
    return registerShortcut({ keys: ['?'], description: 'Show keyboard shortcuts', group: 'Everywhere', run: () => setOpen(true) });
  }, []);
  const groups = new Map<string, ReturnType<typeof allShortcuts>[number][]>();
  for (const s of allShortcuts()) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={() => setOpen(false)}>
      {[...groups].map(([group, list]) => (
        <section key={group} class="shortcut-group">
          <h3>{group}</h3>
          <dl class="shortcut-list">
            {list.map((s) => (
              <div key={s.keys.join('+') + s.description}>
                <dt>{s.keys.map((k, i) => <span key={i}>{i > 0 && (s.keys.length === 2 && !/Ctrl|⌘|Shift|Alt/.test(s.keys[0]) ? ' then ' : ' + ')}<kbd>{k}</kbd></span>)}</dt>
                <dd>{s.description}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}
