import type { AppContext } from '../http/context.ts';

/** Bus topic published by every change to a user (role, epoch, disabled, deletion). */
export const USER_CHANGED = 'identity.user';

export async function publishUserChanged(ctx: Pick<AppContext, 'bus'>, userId: string): Promise<void> {
  await ctx.bus.publish(USER_CHANGED, { id: userId });
}
