import type { ContentApi, GroupPort } from '../content/module.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { PkiApi } from '../pki/module.ts';
import type { ServersApi } from '../servers/module.ts';
import type { CollaborationKey } from './keys.ts';

/** What the collaboration module's services and routes work with. */
export interface CollaborationContext {
  readonly kernel: Kernel;
  readonly pki: Pick<PkiApi, 'outbound' | 'trust'>;
  readonly groups: GroupPort;
  /** Content's ports sync uses: deleting items as the portal, the change log, items sent and received. */
  readonly content: Pick<ContentApi, 'items' | 'changes' | 'synced'>;
  /** Copies of hosted feature services: exports of this portal's services, publishing received ones. */
  readonly servers: ServersApi['copies'];
  /** Where partially transferred data files wait (named by their SHA-256), under the data directory. */
  readonly partialsDir: string;
  orgId(): Promise<string>;
  /** The organisation's name, as partners are shown it. */
  portalName(): Promise<string>;
  /** The certificate chain this portal serves (PEMs, leaf first). */
  servedChain(): string[];
  /** This portal's collaboration signing key. */
  key(): Promise<CollaborationKey>;
  /** Aborted when the node stops (its HTTP server closing, or the module stopping): waits end at once. */
  readonly stopping: AbortSignal;
}

/** This portal's URL as partners reach it: its public origin. */
export const selfUrl = (ctx: CollaborationContext) => ctx.kernel.baseUrl();
