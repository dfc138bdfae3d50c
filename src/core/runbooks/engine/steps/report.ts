/**
 * report: hands the run to the report writer (the shift handover is built
 * elsewhere) and keeps the path of the file it wrote.
 */
import { PlanError, StepFailure, type StepHandler } from '../types';

export const report: StepHandler<'report'> = {
  title: (s) => (s.kind === 'handover' ? 'Write the shift handover' : 'Write a summary of this run'),
  async preview(ctx, s) {
    if (!ctx.deps.report) throw new PlanError(`${s.kind} reports cannot be written here (no report writer)`);
    return { touches: [], notes: [`writes the ${s.kind} report`], blockers: [] };
  },
  async run(ctx, s) {
    if (!ctx.deps.report) throw new StepFailure(`${s.kind} reports cannot be written here`);
    const file = await ctx.deps.report(s.kind, ctx.status());
    return { message: `${s.kind} report written to ${file}`, data: { path: file } };
  },
};
