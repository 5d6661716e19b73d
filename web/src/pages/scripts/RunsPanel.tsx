/**
 * The Runs tab: the endpoint's latest runs over HTTP (`GET …/endpoints/{id}/logs`, newest
 * first), read again every few seconds while the tab is open and the page visible. Each
 * shows status, method and path, who called, when, duration and version; a failed run or
 * one that printed opens to its output and error. The log lives in the server's memory
 * (200 runs per endpoint) and starts empty after a restart: the empty state says so.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api.ts';
import { formatAgo, formatDuration, formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Button } from '../../components/Button.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import type { Run, RunError } from './model.ts';

const POLL_MS = 5000;

function statusClass(status: number): string {
  return status >= 500 ? 'badge-danger' : status >= 400 ? 'badge-warn' : 'badge-admin';
}

export function RunsPanel({ endpointId, onShowError }: { endpointId: number; onShowError: (error: RunError) => void }) {
  const runs = useLoad(() => api<{ runs: Run[] }>(`/admin/endpoints/${endpointId}/logs?limit=50`).then((r) => r.runs), [endpointId]);
  // The button shows a spinner for a refresh asked for, not for the quiet polls.
  const [refreshing, setRefreshing] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void runs.reload(); }, POLL_MS);
    return () => clearInterval(timer);
  }, [runs.reload]);

  if (runs.error && !runs.data) return <ErrorState error={runs.error} retry={runs.reload} title="The run log did not load" />;
  if (!runs.data) return <Loading label="Loading runs…" />;
  return (
    <div class="runs">
      <div class="panel-head">
        <span class="muted small">Latest {runs.data.length} · updates every {POLL_MS / 1000} s</span>
        <Button size="small" busy={refreshing} onClick={() => { setRefreshing(true); void runs.reload().finally(() => setRefreshing(false)); }}>Refresh</Button>
      </div>
      {runs.data.length === 0 ? (
        <Empty title="No runs yet">Calls to this endpoint over HTTP appear here with their status, output and errors. Test runs are not logged; the log starts empty when the server restarts.</Empty>
      ) : (
        <ol class="run-list" aria-label="Runs, newest first">
          {runs.data.map((run) => (
            <li key={run.request_id}>
              <details class={run.error ? 'run run-failed' : 'run'}>
                <summary>
                  <span class={`badge ${statusClass(run.status)}`}>{run.status}</span>
                  <span class="mono run-path">{run.method} {run.path}</span>
                  <span class="muted small run-meta" title={formatTime(run.at)}>{formatAgo(run.at)} · {formatDuration(run.duration_ms)} · {run.user ?? 'anonymous'}{run.version ? ` · v${run.version}` : ''}</span>
                </summary>
                <div class="run-body">
                  {run.error && (
                    <div class="run-error">
                      <p>{run.error.line ? <button type="button" class="link-button" onClick={() => onShowError(run.error!)}>Line {run.error.line}</button> : null} {run.error.message} <span class="muted small">({run.error.code})</span></p>
                      {run.error.backtrace && <pre class="pre">{run.error.backtrace}</pre>}
                    </div>
                  )}
                  {run.logs.length > 0 ? <pre class="pre output">{run.logs.join('\n')}</pre> : !run.error && <p class="muted small">No output.</p>}
                  <p class="muted small">request id <span class="mono">{run.request_id}</span> · {run.steps.toLocaleString()} steps</p>
                </div>
              </details>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
