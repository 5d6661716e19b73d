/**
 * `wce push DIR`: makes the cenv match a project directory (schema.sql migrations,
 * policies.json, endpoints/, modules/, templates/). Shows the plan, then applies it step by
 * step; a second push finds nothing to do. A failed step stops the push with the server's
 * reason; what was applied stays applied, and the next push carries on from there.
 */
import { parse, TARGET, TARGET_HELP, positionals, type Command } from '../args.ts';
import { Client, CliError } from '../client.ts';
import { readProject } from '../sync/layout.ts';
import { planPush, type Plan } from '../sync/push-plan.ts';
import { readRemote } from '../sync/remote.ts';

const USAGE = `Usage: wce push DIR [--dry-run] [--prune]

Deploys a project directory to the cenv (its owner or an admin): new migrations of
schema.sql, the grants and row policies of policies.json, endpoints/*.star, modules/ and
templates/. Prints the plan, then applies it. Nothing that is already the same is touched.
The layout is in docs/cli.md; examples/ has three projects.

      --dry-run      print the plan only
      --prune        also delete what the cenv has and DIR does not (endpoints, templates,
                     modules, grants, policies); without it they are kept and listed
${TARGET_HELP}`;

export function printPlan(plan: Plan, out: (line: string) => void): void {
  for (const step of plan.steps) out(`  ${step.sign} ${step.what}`);
  for (const what of plan.kept) out(`  ! ${what}: in the cenv, not in the directory (kept; --prune deletes it)`);
  for (const warning of plan.warnings) out(`  ! ${warning}`);
  const count = (sign: string) => plan.steps.filter((s) => s.sign === sign).length;
  out(`${count('+')} to add, ${count('~')} to change, ${count('-')} to delete; ${plan.unchanged} unchanged.`);
}

export const push: Command = {
  name: 'push',
  summary: 'deploy a directory to the cenv: shows the plan, then applies it',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...TARGET, 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' } }, USAGE);
    if (!args) return;
    const [dir] = positionals(args.positionals, ['DIR'], USAGE);
    const local = readProject(dir);
    const client = Client.forCenv(args.values);
    const plan = planPush(local, await readRemote(client), { prune: Boolean(args.values.prune) });
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`Plan for ${client.cenv} at ${client.server} from ${dir}:`);
    printPlan(plan, out);
    if (plan.steps.length === 0 || args.values['dry-run']) return;
    let done = 0;
    for (const step of plan.steps) {
      try {
        await step.run(client);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new CliError(`${step.sign} ${step.what} failed: ${message}\n${done} of ${plan.steps.length} steps were applied. ` +
          'Fix the problem and push again: it carries on from there.', error instanceof CliError ? error.exitCode : 1);
      }
      done++;
      out(`  ✓ ${step.what}`);
    }
    out(`Applied ${done} change${done === 1 ? '' : 's'}.`);
  },
};
