import type { AppContext } from '../http/context.ts';

import { USER_CHANGED } from './topics.ts';

export async function publishUserChanged(ctx: Pick<AppContext, 'bus'>, userId: string): Promise<void> {
  await ctx.bus.publish(USER_CHANGED, { id: userId });
}
