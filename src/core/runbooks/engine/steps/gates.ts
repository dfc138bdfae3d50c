/**
 * confirm and note: the run waits (state `waiting-confirm`) until the admin
 * confirms, or aborts. A confirm asks before going on; a note is a manual
 * instruction ("swap the PSU") the admin marks done the same way. Both show
 * the site's name (the UI adds its colour) so nobody confirms at the wrong
 * site. Nothing changes in a cluster: a re-run after a crash asks again,
 * unless the journal already holds the confirmation.
 */
import type { StepHandler } from '../types';

export const confirm: StepHandler<'confirm'> = {
  title: (s) => `Confirm: ${s.message}`,
  async preview(ctx, s) {
    return { touches: [], notes: [`waits for your confirmation at ${ctx.site ? ctx.siteName(ctx.site) : 'no site'}: “${s.message}”`], blockers: [] };
  },
  async run(ctx, s) {
    await ctx.gate(s.message);
    return { message: `confirmed at ${ctx.site ? ctx.siteName(ctx.site) : 'no site'}` };
  },
};

export const note: StepHandler<'note'> = {
  title: (s) => `Do by hand: ${s.text}`,
  async preview(ctx, s) {
    return { touches: [], notes: [`a manual step at ${ctx.site ? ctx.siteName(ctx.site) : 'no site'}, marked done by you: “${s.text}”`], blockers: [] };
  },
  async run(ctx, s) {
    await ctx.gate(s.text);
    return { message: `marked done at ${ctx.site ? ctx.siteName(ctx.site) : 'no site'}` };
  },
};
