import type { Access } from '../tables.ts';
import { VIS, visOf } from './visibility.ts';

/**
 * Tokens of an item's access, owner and group shares, indexed beside its words (the FTS5
 * column `acl` on SQLite, lexemes starting with '_' on PostgreSQL). With them the database's
 * full-text engine answers "which of the items the viewer may see match" in its own index, and
 * the fields owner:, group: and access: are index lookups too. Every token is [a-z0-9]: owners
 * are hex-encoded (so that a prefix of an owner name is a prefix of its token: owner:jan*);
 * group ids are kept as they are when already [a-z0-9] (they are generated so), hex-encoded
 * otherwise, with a letter telling which.
 */
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const id = (s: string) => (/^[0-9a-z]{1,64}$/.test(s) ? `r${s}` : `h${hex(s)}`);

const MAX_OWNER_KEY = 128;

/** Owners are matched whole and without regard to case ("owner:Jane.Doe" finds jane.doe). */
export function ownerKey(owner: string): string {
  return owner.toLowerCase().slice(0, MAX_OWNER_KEY);
}

export const ACL = {
  /** Every item: the positive half of a query of exclusions alone (`-draft`). */
  everything: 'e',
  /** items.access (access:public). */
  access: (vis: number) => `v${vis}`,
  /** Owner (owner:, and a user's own items). A prefix of the owner gives a prefix of this. */
  owner: (owner: string) => `o${hex(ownerKey(owner))}`,
  /** A group the item is shared with (group:). */
  group: (groupId: string) => `g${id(groupId)}`,
  /** A group whose members see the item because it is shared with it (access 'shared'). */
  sharedTo: (groupId: string) => `a${id(groupId)}`,
} as const;

export function aclTokens(item: { owner: string; access: Access; groups: readonly string[] }): string[] {
  const vis = visOf(item.access);
  const out = [ACL.everything, ACL.access(vis), ACL.owner(item.owner)];
  for (const g of item.groups) {
    out.push(ACL.group(g));
    if (vis === VIS.shared) out.push(ACL.sharedTo(g));
  }
  return out;
}
