/**
 * `npm run cluster:status -- [node URL]`: the cluster's nodes, the cenvs each owns with their
 * fencing tokens, and replication lag, as `GET /cluster` on any node reports them. The URL
 * defaults to http://127.0.0.1:$WCE_PORT (5309); WCE_METRICS_TOKEN, when set, is sent as the
 * bearer token. `--json` prints the raw answer. (The logic the future `wce cluster status`
 * command calls is `formatStatus` in status.ts.)
 */
import { formatStatus, type ClusterStatus } from './status.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const base = (args.find((arg) => !arg.startsWith('--')) ?? `http://127.0.0.1:${process.env.WCE_PORT || 5309}`).replace(/\/+$/, '');
const token = process.env.WCE_METRICS_TOKEN;

try {
  const response = await fetch(`${base}/cluster`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  const body = await response.json() as ClusterStatus & { error?: { message: string } };
  if (!response.ok) {
    process.stderr.write(`wce cluster status: ${response.status} ${body.error?.message ?? ''}\n`);
    process.exit(1);
  }
  process.stdout.write(json ? `${JSON.stringify(body, null, 2)}\n` : formatStatus(body));
} catch (error) {
  process.stderr.write(`wce cluster status: cannot reach ${base}: ${(error as Error).message}\n`);
  process.exit(1);
}
