/**
 * The templates page's side list: each template's path with badges (Markdown, partial, off)
 * and a dot for unsaved text, and the New button (`n`).
 */
import { Button } from '../../components/Button.tsx';
import { isPartial, type TemplateInfo } from './model.ts';

export function TemplateList({ templates, selected, dirty, onPick, onNew }: {
  templates: TemplateInfo[] | null | undefined; selected: number | null; dirty: Set<number>; onPick: (id: number) => void; onNew: () => void;
}) {
  return (
    <nav class="script-list" aria-label="Templates">
      <div class="list-head">
        <h2 id="templates-title">Templates</h2>
        <Button size="small" onClick={() => onNew()} aria-keyshortcuts="n" title="New template (n)">New</Button>
      </div>
      {templates && templates.length > 0 && (
        <ul aria-labelledby="templates-title">
          {templates.map((t) => (
            <li key={t.id}>
              <button type="button" class="item" aria-current={selected === t.id ? 'true' : undefined} onClick={() => onPick(t.id)}
                title={`${t.path} · ${t.syntax}${t.enabled ? '' : ' · disabled'}`}>
                <span class="mono item-name">{t.path}</span>
                {dirty.has(t.id) && <span class="dirty-dot" aria-label="unsaved changes" title="unsaved changes">●</span>}
                <span class="item-badges">
                  {t.syntax === 'markdown' && <span class="badge">md</span>}
                  {isPartial(t.path) && <span class="badge">partial</span>}
                  {!t.enabled && <span class="badge">off</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
