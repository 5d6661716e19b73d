/**
 * `wce logs [ENDPOINT] [--follow]`: the latest runs of the cenv's endpoints (all of them, or
 * the one named by `METHOD /path`, `/path` or its id), oldest first as a log reads: time,
 * method and path, status, duration, who called, then each `print` line and the error with
 * its Starlark backtrace. `--follow` keeps asking every second and prints new runs as they
 * come, like `tail -f`. JSON lines when piped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, TARGET, TARGET_HELP, type Command } from '../args.ts';
import { Client, UsageError } from '../client.ts';
import { wantsJson } from '../output.ts';

const USAGE = `Usage: wce logs [ENDPOINT] [-n N] [--follow] [--json | --text]

Prints the latest runs of the cenv's endpoints (owner and admin), oldest first: time, request,
status, duration and caller, then what the script printed and its error, if any. ENDPOINT is
"METHOD /path" (one argument, quoted), "/path" (every method) or the endpoint's id; without
it, every endpoint. The server keeps the last 200 runs of each, in memory.

  -n, --lines N      at most N runs (default 20)
  -f, --follow       keep printing new runs as they come (Ctrl+C stops)
      --json         one JSON object per run (the default when piped)
      --text         the readable lines, even when piped
${TARGET_HELP}`;

interface EndpointInfo { id: number; method: string; path: string }
interface Run {
  at: string; request_id: string; method: string; path: string; status: number; duration_ms: number; user: string | null;
  logs: string[]; error: { code: string; message: string; backtrace: string | null } | null;
}

function pick(endpoints: EndpointInfo[], wanted: string | undefined): EndpointInfo[] {
  if (wanted === undefined) return endpoints;
  const [first, second] = wanted.trim().split(/\s+/);
  const chosen = /^\d+$/.test(wanted) ? endpoints.filter((e) => e.id === Number(wanted))
    : second !== undefined ? endpoints.filter((e) => e.method === first.toUpperCase() && e.path === second)
    : endpoints.filter((e) => e.path === first);
  if (chosen.length === 0) {
    const known = endpoints.map((e) => `${e.method} ${e.path}`).join(', ') || 'none yet';
    throw new UsageError(`no endpoint "${wanted}" (this cenv has: ${known})`);
  }
  return chosen;
}

function print(run: Run, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return;
  }
  const who = run.user ?? 'anonymous';
  const lines = [`${run.at}  ${run.method} ${run.path}  ${run.status}  ${run.duration_ms.toFixed(1)} ms  ${who}`];
  for (const line of run.logs) lines.push(`  | ${line}`);
  if (run.error) {
    lines.push(`  ! ${run.error.code}: ${run.error.message}`);
    for (const line of (run.error.backtrace ?? '').split('\n').filter(Boolean)) lines.push(`    ${line}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const logs: Command = {
  name: 'logs',
  summary: "the endpoints' latest runs: status, print output, errors (--follow)",
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...TARGET, lines: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' }, text: { type: 'boolean' } }, USAGE);
    if (!args) return;
    if (args.positionals.length > 1) throw new UsageError('one ENDPOINT at most; quote "METHOD /path"');
    const count = Number(args.values.lines ?? 20);
    if (!Number.isInteger(count) || count < 1 || count > 200) throw new UsageError('--lines must be a whole number from 1 to 200');
    const client = Client.forCenv(args.values);
    const json = wantsJson({ json: args.values.json, table: args.values.text });
    const { endpoints } = await client.json<{ endpoints: EndpointInfo[] }>('GET', '/admin/endpoints');
    const chosen = pick(endpoints, args.positionals[0]);
    const fetchRuns = async () => {
      const lists = await Promise.all(chosen.map((e) => client.json<{ runs: Run[] }>('GET', `/admin/endpoints/${e.id}/logs?limit=200`)));
      return lists.flatMap((l) => l.runs).sort((a, b) => a.at.localeCompare(b.at));
    };
    const all = await fetchRuns();
    const runs = all.slice(-count);
    for (const run of runs) print(run, json);
    if (!args.values.follow) {
      if (runs.length === 0 && !json) process.stderr.write('No runs yet. Call an endpoint, or use --follow to wait for one.\n');
      return;
    }
    let known = new Set(all.map((run) => run.request_id));
    for (;;) {
      await sleep(1000);
      const latest = await fetchRuns();
      for (const run of latest) if (!known.has(run.request_id)) print(run, json);
      // Only what the server still holds can come back: the set stays as small as its log.
      known = new Set(latest.map((run) => run.request_id));
    }
  },
};
