/**
 * The policy debugger's sandbox ops: `explain` (one statement for a chosen user, always rolled
 * back) and `policyPreview` (who gains or loses rows with a draft policy). Both run as the
 * caller, an owner or admin (the routes check it), and write nothing.
 */
import type { OpHandler } from '../sandbox/handlers.ts';
import { explain } from './explain.ts';
import { previewPolicy } from './policy-preview.ts';

export const explainHandler: OpHandler<'explain'> = {
  run(ctx, payload) {
    const result = explain(ctx.conn, ctx.principal, payload, { settings: ctx.settings, deadline: ctx.deadline });
    return { status: 200, body: JSON.stringify(result), effects: { writes: [], reads: [] } };
  },
};

export const policyPreviewHandler: OpHandler<'policyPreview'> = {
  run(ctx, payload) {
    const result = previewPolicy(ctx.conn, ctx.principal, payload, { settings: ctx.settings, deadline: ctx.deadline });
    return { status: 200, body: JSON.stringify(result), effects: { writes: [], reads: [] } };
  },
};
