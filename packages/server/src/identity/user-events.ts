import type { Kernel } from '../kernel/kernel.ts';

import { USER_CHANGED } from './topics.ts';

export async function publishUserChanged(ctx: Pick<Kernel, 'bus'>, userId: string): Promise<void> {
  await ctx.bus.publish(USER_CHANGED, { id: userId });
}
