/**
 * `wce cluster status [NODE_URL]`: a cluster's nodes, the cenvs each owns with their fencing
 * tokens, and replication lag, as `GET /cluster` on any node reports them (src/cluster). An
 * operator's command: the node wants `Authorization: Bearer $WCE_METRICS_TOKEN`, or, without
 * that variable on the node, a call from the node's own machine.
 */
import { formatStatus, type ClusterStatus } from '../../cluster/status.ts';
import { parse, SERVER, type Command } from '../args.ts';
import { Client, UsageError, serverOf } from '../client.ts';
import { printJson } from '../output.ts';

const USAGE = `Usage: wce cluster status [NODE_URL] [--json]

Prints the cluster as one of its nodes sees it: every node (reachable, draining, how many
cenvs, the largest replication lag, Litestream processes) and the cenvs it owns with their
fencing tokens. Sends WCE_METRICS_TOKEN as the bearer token when it is set.

      --json         the raw answer of GET /cluster
  -s, --server URL   the node (instead of NODE_URL; default: WCE_SERVER or http://localhost:5309)
  -h, --help         this help

docs/deployment/cluster.md explains the figures.`;

export const cluster: Command = {
  name: 'cluster',
  summary: "a cluster's nodes, their cenvs and replication lag (cluster status)",
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...SERVER, json: { type: 'boolean' } }, USAGE);
    if (!args) return;
    const [action, url, ...rest] = args.positionals;
    if (action !== 'status' || rest.length > 0) throw new UsageError(`wce cluster status [NODE_URL] is the one cluster command\nSee: wce cluster --help`);
    const token = process.env.WCE_METRICS_TOKEN ?? null;
    const client = new Client(serverOf({ server: url ?? args.values.server }), null, token);
    const status = await client.json<ClusterStatus>('GET', '/cluster');
    if (args.values.json) printJson(status);
    else process.stdout.write(formatStatus(status));
  },
};
