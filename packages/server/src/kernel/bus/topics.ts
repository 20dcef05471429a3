/**
 * The change bus's topics and the data each carries. The kernel declares its own; each module
 * adds its topics to this interface from its own folder (TypeScript declaration merging):
 *
 *   declare module '../kernel/bus/topics.ts' {
 *     interface BusTopics { 'identity.user': { id?: string } }
 *   }
 *
 * so that publishing or listening to an unknown topic, or with the wrong data, does not compile.
 */
export interface BusTopics {
  /** Emitted on this node after the listener reconnected: every cache reloads everything. */
  'bus.resync': Record<string, never>;
}

export type Topic = keyof BusTopics;
