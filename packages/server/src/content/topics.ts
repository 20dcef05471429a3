/** The change-bus topics of the content module (see kernel/bus/topics.ts). */
declare module '../kernel/bus/topics.ts' {
  interface BusTopics {
    /** A group or a membership changed (created, updated, deleted, members added or removed). */
    'content.groups': Record<string, never>;
    /** Item changes were written to the change log (item-changes.ts) and committed. */
    'content.item_changes': Record<string, never>;
  }
}

export const GROUPS_CHANGED = 'content.groups';
export const ITEM_CHANGES = 'content.item_changes';
