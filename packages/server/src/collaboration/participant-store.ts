/** Participants (partner portals) of collaborations: the only place that reads and writes collaboration_participants. */
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { notFound } from './store.ts';
import type { CollaborationParticipantsTable } from './tables.ts';

export type ParticipantRow = CollaborationParticipantsTable;
type Db = Kysely<Database>;

export function listParticipantRows(db: Db, collaborationId: string): Promise<ParticipantRow[]> {
  return db
    .selectFrom('collaboration_participants')
    .selectAll()
    .where('collaboration_id', '=', collaborationId)
    .orderBy('created')
    .orderBy('portal_id')
    .execute();
}

/** A page of the collaboration's participants (start 1-based) and how many there are, counted by the database. */
export async function pageParticipantRows(db: Db, collaborationId: string, start: number, num: number) {
  const where = db.selectFrom('collaboration_participants').where('collaboration_id', '=', collaborationId);
  const [rows, count] = await Promise.all([
    where
      .selectAll()
      .orderBy('created')
      .orderBy('portal_id')
      .offset(start - 1)
      .limit(num)
      .execute(),
    where.select((e) => e.fn.countAll<number | string>().as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export function findParticipantRow(db: Db, collaborationId: string, portalId: string) {
  return db
    .selectFrom('collaboration_participants')
    .selectAll()
    .where('collaboration_id', '=', collaborationId)
    .where('portal_id', '=', portalId)
    .executeTakeFirst();
}

export async function getParticipantRow(
  db: Db,
  collaborationId: string,
  portalId: string,
): Promise<ParticipantRow> {
  const row = await findParticipantRow(db, collaborationId, portalId);
  if (!row) throw notFound('participant', portalId);
  return row;
}

/** Inserts the participant, or replaces a removed one (a portal invited again). */
export async function putParticipantRow(db: Db, row: ParticipantRow): Promise<void> {
  await db
    .deleteFrom('collaboration_participants')
    .where('collaboration_id', '=', row.collaboration_id)
    .where('portal_id', '=', row.portal_id)
    .execute();
  await db.insertInto('collaboration_participants').values(row).execute();
}

export async function setParticipantState(
  db: Db,
  collaborationId: string,
  portalId: string,
  state: 'active' | 'removed',
  now: number,
): Promise<void> {
  await db
    .updateTable('collaboration_participants')
    .set({ state, modified: now })
    .where('collaboration_id', '=', collaborationId)
    .where('portal_id', '=', portalId)
    .execute();
}

export function participantJson(p: ParticipantRow) {
  return {
    participantId: p.portal_id,
    portalUrl: p.url,
    name: p.name,
    role: p.role,
    state: p.state,
    accessModes: JSON.parse(p.access) as Record<string, string>,
    contact: JSON.parse(p.contact) as Record<string, string>,
    certificateFingerprint: p.cert_fingerprint,
    linkedGroups: JSON.parse(p.linked_groups || '{}') as Record<string, { groupId: string; title: string }>,
    created: Number(p.created),
    modified: Number(p.modified),
  };
}

export async function setParticipantAccess(
  db: Db,
  collaborationId: string,
  portalId: string,
  access: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('collaboration_participants')
    .set({ access, modified: now })
    .where('collaboration_id', '=', collaborationId)
    .where('portal_id', '=', portalId)
    .execute();
}

/** The certificate trusted for the partner (confirmed again at participants/<id>/validate) and its trust entry. */
export async function setParticipantTrust(
  db: Db,
  collaborationId: string,
  portalId: string,
  fingerprint: string,
  trustAlias: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('collaboration_participants')
    .set({ cert_fingerprint: fingerprint, trust_alias: trustAlias, modified: now })
    .where('collaboration_id', '=', collaborationId)
    .where('portal_id', '=', portalId)
    .execute();
}
