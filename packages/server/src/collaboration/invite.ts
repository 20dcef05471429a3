/**
 * The host's invitations: inviteParticipant makes a signed invitation file addressed to one
 * guest URL (its one-time secret stored hashed), refresh gives a new file valid 72 more hours
 * (the old secret no longer works), invalidate ends it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { checkAgainstHost } from './access-modes.ts';
import { hostedCollaboration, newId } from './collaborations.ts';
import { type CollaborationContext, selfUrl } from './context.ts';
import { CollaborationInvalidInput } from './errors.ts';
import { invalid } from './input.ts';
import { INVITATION_TYPE, type InvitationDocument } from './invitation-document.ts';
import {
  getInvitationRow,
  type InvitationRow,
  insertInvitationRow,
  updateInvitationRow,
} from './invitation-store.ts';
import { ACCESS_MODES, type AccessMode } from './schemas.ts';
import { sameOrigin, selfParty } from './self-party.ts';
import { signDocument } from './signed-document.ts';
import { listWorkspaceRows } from './store.ts';

const HOUR = 3_600_000;
export const REFRESH_HOURS = 72;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A portal URL given by an administrator, as its origin (https only). */
export function portalOrigin(param: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw invalid(`'${param}' is not a URL: give the partner portal's https:// address.`);
  }
  if (u.protocol !== 'https:') throw invalid(`'${param}' must be an https:// URL.`);
  return u.origin.toLowerCase();
}

/** collaborationWorkspacesParticipantConfigJSON: [{"<workspace id>": "send" | "receive" | "sendAndReceive"}, …]. */
export function parseAccessConfig(
  text: string,
  workspaceIds: ReadonlySet<string>,
): Record<string, AccessMode> {
  const param = 'collaborationWorkspacesParticipantConfigJSON';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid(`'${param}' is not JSON: send [{"<workspace id>":"send"}].`);
  }
  const entries = (Array.isArray(v) ? v : [v]).flatMap((o) =>
    o && typeof o === 'object' && !Array.isArray(o)
      ? Object.entries(o as Record<string, unknown>)
      : [[null, o]],
  );
  if (!entries.length) throw invalid(`'${param}' names no workspace.`);
  const out: Record<string, AccessMode> = {};
  for (const [id, mode] of entries) {
    if (typeof id !== 'string')
      throw invalid(`'${param}' must be a list of {"<workspace id>": mode} objects.`);
    if (!workspaceIds.has(id))
      throw invalid(`'${param}' names workspace '${id.slice(0, 64)}', which is not in this collaboration.`);
    if (!ACCESS_MODES.includes(mode as AccessMode))
      throw invalid(
        `'${param}': the access mode of workspace ${id} must be one of ${ACCESS_MODES.join(', ')}.`,
      );
    out[id] = mode as AccessMode;
  }
  return out;
}

export interface InviteInput {
  guestPortalUrl: string;
  collaborationWorkspacesParticipantConfigJSON: string;
  expiration?: number | undefined;
}

/** The signed invitation file of `row` with a fresh secret (the row's hash must be set to it). */
async function invitationDocument(
  ctx: CollaborationContext,
  row: InvitationRow,
  secret: string,
): Promise<InvitationDocument> {
  const collaboration = await hostedCollaboration(ctx, row.collaboration_id);
  const access = JSON.parse(row.access) as Record<string, AccessMode>;
  const workspaces = (await listWorkspaceRows(ctx.kernel.db.kysely, collaboration.id))
    .filter((w) => access[w.id])
    .map((w) => ({ id: w.id, name: w.name, description: w.description, accessMode: access[w.id]! }));
  const doc = {
    type: INVITATION_TYPE,
    version: 1 as const,
    invitationId: row.id,
    host: await selfParty(ctx, JSON.parse(collaboration.host_contact)),
    collaboration: { id: collaboration.id, name: collaboration.name, description: collaboration.description },
    workspaces,
    guestPortalUrl: row.guest_url,
    expires: Number(row.expires),
    secret,
  };
  return signDocument(doc, await ctx.key());
}

/** inviteParticipant: a new invitation and its file. */
export async function inviteParticipant(
  ctx: CollaborationContext,
  collaborationId: string,
  input: InviteInput,
  by: string,
): Promise<{ doc: InvitationDocument; row: InvitationRow }> {
  const collaboration = await hostedCollaboration(ctx, collaborationId);
  const guestUrl = portalOrigin('guestPortalUrl', input.guestPortalUrl);
  if (sameOrigin(guestUrl, selfUrl(ctx)))
    throw new MeridianError(
      CollaborationInvalidInput,
      `'guestPortalUrl' is this portal's own URL (${selfUrl(ctx)}): invite another portal.`,
    );
  const workspaces = await listWorkspaceRows(ctx.kernel.db.kysely, collaboration.id);
  const param = 'collaborationWorkspacesParticipantConfigJSON';
  const access = parseAccessConfig(input[param], new Set(workspaces.map((w) => w.id)));
  checkAgainstHost(param, access, workspaces);
  const now = ctx.kernel.clock.now();
  const secret = randomBytes(32).toString('base64url');
  const row: InvitationRow = {
    id: newId(),
    collaboration_id: collaboration.id,
    guest_url: guestUrl,
    access: JSON.stringify(access),
    expires: now + (input.expiration ?? 24) * HOUR,
    secret_hash: hashSecret(secret),
    state: 'pending',
    guest_portal_id: null,
    created_by: by,
    created: now,
    modified: now,
  };
  await insertInvitationRow(ctx.kernel.db.kysely, row);
  return { doc: await invitationDocument(ctx, row, secret), row };
}

/** refresh: 72 more hours and a new secret (the file made before no longer works). */
export async function refreshInvitation(ctx: CollaborationContext, collaborationId: string, id: string) {
  await hostedCollaboration(ctx, collaborationId);
  const db = ctx.kernel.db.kysely;
  const row = await getInvitationRow(db, collaborationId, id);
  if (row.state !== 'pending')
    throw invalid(
      `Invitation ${id} is ${row.state}: only a pending invitation is refreshed; make a new one.`,
    );
  const now = ctx.kernel.clock.now();
  const secret = randomBytes(32).toString('base64url');
  const changes = {
    secret_hash: hashSecret(secret),
    expires: Math.max(Number(row.expires), now) + REFRESH_HOURS * HOUR,
    modified: now,
  };
  await updateInvitationRow(db, id, changes);
  return { doc: await invitationDocument(ctx, { ...row, ...changes }, secret), row: { ...row, ...changes } };
}

/** invalidate: the invitation can no longer be accepted. */
export async function invalidateInvitation(ctx: CollaborationContext, collaborationId: string, id: string) {
  await hostedCollaboration(ctx, collaborationId);
  const db = ctx.kernel.db.kysely;
  const row = await getInvitationRow(db, collaborationId, id);
  if (row.state === 'completed' || row.state === 'accepted')
    throw invalid(`Invitation ${id} was accepted already: remove the participant instead.`);
  await updateInvitationRow(db, id, { state: 'invalidated', modified: ctx.kernel.clock.now() });
}

/** The file name of an invitation: collaboration-<guest host>.invite. */
export const invitationFileName = (row: InvitationRow) =>
  `collaboration-${new URL(row.guest_url).hostname.replace(/[^A-Za-z0-9.-]/g, '-')}.invite`;

export function invitationJson(row: InvitationRow, now: number) {
  const expired = row.state === 'pending' && Number(row.expires) <= now;
  return {
    id: row.id,
    collaborationId: row.collaboration_id,
    guestPortalUrl: row.guest_url,
    accessModes: JSON.parse(row.access) as Record<string, string>,
    expiration: Number(row.expires),
    status: expired ? 'expired' : row.state,
    guestPortalId: row.guest_portal_id,
    created: Number(row.created),
    modified: Number(row.modified),
  };
}
