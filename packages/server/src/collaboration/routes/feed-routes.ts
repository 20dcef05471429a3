/**
 * The host's sync resources a guest calls with its signed requests (X-Meridian-Partner):
 * partnerChanges (the feed, with a bounded wait), partnerData (a chunk of a copy's file),
 * partnerCursor (what the host applied of the guest's feed), partnerUpload and partnerApply
 * (the guest's own changes), partnerAccess (the guest's access modes). Refused by access mode
 * (collaboration.access_denied, which carries the guest's current modes).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { Success } from '../../http/schemas.ts';
import { hostedCollaboration } from '../collaborations.ts';
import type { CollaborationContext } from '../context.ts';
import { applyPushed, dataChunk, feed, guestCall, uploadChunk } from '../feed-service.ts';
import { verifyPartnerCall } from '../partner-auth.ts';
import { getWorkspaceRow } from '../store.ts';
import { getCursor } from '../sync-store.ts';
import { C, checkPortal, param, TAGS } from './portal-path.ts';

const W = `${C}/workspaces/:wid`;
const Int = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description }));
const Open = Type.Record(Type.String(), Type.Unknown());

export function registerFeedRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  const base = { method: 'POST' as const, auth: 'public' as const, tags: TAGS };
  const ids = (req: Parameters<typeof param>[0]) => [param(req, 'cid'), param(req, 'wid')] as const;

  route(app, {
    ...base,
    url: `${W}/partnerChanges`,
    summary:
      "A guest's signed pull: the workspace group's changes after its cursor, folded per item (upserts with fields and data description — a copy's file of at most 64 KiB with its bytes inline, base64 — and tombstones), within about 768 KiB per answer (`more` when the batch ended early); `wait` (ms, ≤ 25 s) waits for a change when there is none. A feature service whose features are still being exported (copyFeatureServiceData) ends the batch before its change, with `pending`: ask again from `last` after `retryAfterMs`.",
    params: Type.Object({
      after: Int('The last seq the guest applied.'),
      limit: Int('At most this many log entries (≤ 200).'),
      wait: Int('Milliseconds to wait for a change when there is none (real-time sync).'),
    }),
    response: Success({
      changes: Type.Array(Open),
      last: Type.Number(),
      more: Type.Boolean(),
      pending: Type.Optional(
        Type.Object(
          {
            originItemId: Type.String(),
            retryAfterMs: Type.Integer({ minimum: 0 }),
          },
          {
            description: 'Not ready yet: the item whose features are being exported, and when to ask again.',
          },
        ),
      ),
    }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const x = await guestCall(ctx, req, ...ids(req), 'receive');
      const out = await feed(ctx, req, x, args.after ?? 0, args.limit ?? 100, args.wait ?? 0);
      return { success: true as const, ...out, changes: out.changes as unknown as Record<string, unknown>[] };
    },
  });

  route(app, {
    ...base,
    url: `${W}/partnerAccess`,
    summary:
      "A guest's signed question: its access modes in the collaboration's workspaces, as the host records them (a guest that missed updateParticipantAccessModes catches up at its next sync).",
    response: Success({ accessModes: Type.Record(Type.String(), Type.String()) }),
    handler: async (req) => {
      await checkPortal(ctx, req);
      const [cid, wid] = ids(req);
      const guest = await verifyPartnerCall(ctx, req, cid);
      await hostedCollaboration(ctx, cid);
      await getWorkspaceRow(ctx.kernel.db.kysely, cid, wid);
      return { success: true as const, accessModes: JSON.parse(guest.access) as Record<string, string> };
    },
  });

  route(app, {
    ...base,
    url: `${W}/partnerData`,
    summary:
      "A guest's signed read of a chunk (≤ 512 KiB, base64) of a copy's data file (or of a text longer than 64 KiB), from `offset`.",
    params: Type.Object({
      itemId: Type.String({ maxLength: 64 }),
      modified: Type.Number({ description: 'The modified time the feed announced.' }),
      offset: Int('Where to read from.'),
    }),
    response: Success({ offset: Type.Number(), size: Type.Number(), data: Type.String() }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const x = await guestCall(ctx, req, ...ids(req), 'receive');
      return {
        success: true as const,
        ...(await dataChunk(ctx, x, args.itemId, args.modified, args.offset ?? 0)),
      };
    },
  });

  route(app, {
    ...base,
    url: `${W}/partnerCursor`,
    summary: "A guest's signed question: the last seq of its feed the host applied in the workspace.",
    response: Success({ cursor: Type.Number() }),
    handler: async (req) => {
      await checkPortal(ctx, req);
      const x = await guestCall(ctx, req, ...ids(req), 'send');
      return {
        success: true as const,
        cursor: await getCursor(ctx.kernel.db.kysely, x.workspace.id, x.guest.portal_id),
      };
    },
  });

  route(app, {
    ...base,
    url: `${W}/partnerUpload`,
    summary:
      "A guest's signed upload of a chunk (base64, ≤ 512 KiB) of a data file named by its SHA-256 at `offset`; without `data`, how much has arrived. A wrong offset writes nothing (the answer says where to continue); the last chunk checks the SHA-256.",
    params: Type.Object({
      sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      size: Type.Integer({ minimum: 0 }),
      offset: Int('Where this chunk goes.'),
      data: Type.Optional(Type.String({ maxLength: 800_000 })),
    }),
    response: Success({ received: Type.Number(), complete: Type.Boolean() }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      await guestCall(ctx, req, ...ids(req), 'send');
      return {
        success: true as const,
        ...(await uploadChunk(ctx, args.sha256, args.size, args.offset ?? 0, args.data)),
      };
    },
  });

  route(app, {
    ...base,
    url: `${W}/partnerApply`,
    summary:
      "A guest's signed push: its changes (JSON list, as partnerChanges gives them; small files inline, all checked before any is applied) applied by origin, then the host's cursor of its feed moved to `upTo` when all were applied.",
    params: Type.Object({
      changes: Type.String({ maxLength: 1_500_000 }),
      upTo: Type.Number({ minimum: 0 }),
    }),
    response: Success({
      applied: Type.Number(),
      failed: Type.Number(),
      cursor: Type.Number(),
      history: Open,
    }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const x = await guestCall(ctx, req, ...ids(req), 'send');
      const r = await applyPushed(ctx, x, args.changes, args.upTo);
      return { success: true as const, ...r, history: r.history as unknown as Record<string, unknown> };
    },
  });
}
