import type { GroupPort } from '../content/module.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { PkiApi } from '../pki/module.ts';
import type { CollaborationKey } from './keys.ts';

/** What the collaboration module's services and routes work with. */
export interface CollaborationContext {
  readonly kernel: Kernel;
  readonly pki: Pick<PkiApi, 'outbound' | 'trust'>;
  readonly groups: GroupPort;
  orgId(): Promise<string>;
  /** The organisation's name, as partners are shown it. */
  portalName(): Promise<string>;
  /** The certificate chain this portal serves (PEMs, leaf first). */
  servedChain(): string[];
  /** This portal's collaboration signing key. */
  key(): Promise<CollaborationKey>;
}

/** This portal's URL as partners reach it: its public origin. */
export const selfUrl = (ctx: CollaborationContext) => ctx.kernel.baseUrl();
