/**
 * The cache status of a template's pages (`GET /{cenv}/admin/pages`, the entries of this
 * template): each page's path, status, the version it was rendered from, when, the tables
 * it read (a commit to one re-renders it) and the last error, if a re-render failed (the
 * last good page is still served). Read again every few seconds while shown, so
 * re-renders after a save or a write appear; "Re-render all" queues every page of the cenv.
 */
import { useEffect } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { cenvPath } from '../../lib/boot.ts';
import { formatAgo, formatBytes, formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Button } from '../../components/Button.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { toast } from '../../components/Toast.tsx';
import { isPartial, paramsOf, type CachedPage } from './model.ts';

const POLL_MS = 4000;

export function pageUrl(path: string): string {
  return cenvPath(`/pages/${path === 'index' ? '' : path}`);
}

export function PagesPanel({ templateId, path, version }: { templateId: number; path: string; version: number }) {
  const pages = useLoad(() => api<{ pages: CachedPage[] }>('/admin/pages').then((r) => r.pages.filter((p) => p.template_id === templateId)), [templateId]);
  useEffect(() => {
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void pages.reload(); }, POLL_MS);
    return () => clearInterval(timer);
  }, [pages.reload]);
  const refreshAll = async () => {
    try {
      const { queued } = await api<{ queued: number }>('/admin/pages/refresh', { method: 'POST' });
      toast(`${queued} page${queued === 1 ? '' : 's'} queued to render again`);
      void pages.reload();
    } catch (e) {
      toast(`Not queued: ${(e as Error).message}`, 'error');
    }
  };

  if (isPartial(path)) return <Empty title="A partial has no pages">Templates with a segment starting with <code>_</code> are never served; others include them with <code>{'{% include "' + path + '" %}'}</code>. Saving it re-renders the pages that include it.</Empty>;
  if (pages.error && !pages.data) return <ErrorState error={pages.error} retry={pages.reload} title="The page cache did not load" />;
  if (!pages.data) return <Loading label="Loading the page cache…" />;
  return (
    <div class="cache">
      <div class="panel-head">
        <span class="muted small">Cached pages of this template · updates every {POLL_MS / 1000} s</span>
        <Button size="small" onClick={() => void refreshAll()} title="Queue every cached page of the cenv to render again">Re-render all</Button>
      </div>
      {pages.data.length === 0 ? (
        <Empty title="Not rendered yet">
          A page is rendered when it is first asked for, then kept until a write changes what it read.
          {paramsOf(path).length === 0 && <> <a href={pageUrl(path)} target="_blank" rel="noopener noreferrer">Open {pageUrl(path)}</a> to render it.</>}
        </Empty>
      ) : (
        <ul class="cache-list" aria-label="Cached pages">
          {pages.data.map((p) => (
            <li key={p.path} class={p.error ? 'cache-entry cache-failed' : 'cache-entry'}>
              <div class="cache-path">
                <a class="mono" href={pageUrl(p.path)} target="_blank" rel="noopener noreferrer">/{p.path}</a>
                <span class={`badge ${p.status === 200 ? 'badge-admin' : 'badge-warn'}`}>{p.status}</span>
                {p.template_version !== version && <span class="badge badge-warn" title="Rendered from an older version; it renders again shortly">v{p.template_version}</span>}
              </div>
              <div class="muted small">
                {p.rendered_at ? <span title={formatTime(p.rendered_at)}>rendered {formatAgo(p.rendered_at)}</span> : 'never rendered'}
                {p.bytes !== null && ` · ${formatBytes(p.bytes)}`}
                {` · reads ${p.reads.length ? p.reads.join(', ') : 'no table'}`}
              </div>
              {p.error && <p class="cache-error small" title={p.error_at ? formatTime(p.error_at) : undefined}>Last re-render failed{p.error_at ? ` ${formatAgo(p.error_at)}` : ''}: {p.error} The last good page is still served.</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
