/**
 * Tabs on the ARIA tabs pattern: a tablist whose arrow keys move between tabs (Home and End
 * too), the selected tab alone in the tab order, and one panel labelled by its tab.
 *
 * @example <Tabs id="side" label="Test and runs" tabs={[{ id: 'test', label: 'Test' }, { id: 'runs', label: 'Runs' }]} selected={tab} onSelect={setTab}>{panel}</Tabs>
 */
import type { ComponentChildren } from 'preact';

export interface TabsProps<T extends string> {
  id: string;
  label: string;
  tabs: Array<{ id: T; label: ComponentChildren }>;
  selected: T;
  onSelect: (id: T) => void;
  children: ComponentChildren;
}

export function Tabs<T extends string>({ id, label, tabs, selected, onSelect, children }: TabsProps<T>) {
  const onKey = (event: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === selected);
    const next = event.key === 'ArrowRight' ? (at + 1) % tabs.length : event.key === 'ArrowLeft' ? (at - 1 + tabs.length) % tabs.length
      : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : -1;
    if (next < 0) return;
    event.preventDefault();
    onSelect(tabs[next].id);
    document.getElementById(`${id}-tab-${tabs[next].id}`)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} class="tabs" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button key={t.id} id={`${id}-tab-${t.id}`} role="tab" type="button" aria-selected={selected === t.id} aria-controls={`${id}-panel`}
            tabIndex={selected === t.id ? 0 : -1} onClick={() => onSelect(t.id)}>{t.label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${selected}`} class="tab-panel">{children}</div>
    </>
  );
}
