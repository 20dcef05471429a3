/**
 * The trust exchange's second half and its result: exportInvitationResponse (guest),
 * validate/importInvitationResponse (host), participants, remove, removeParticipation; and the
 * partners' signed resources: partnerPing (a signed call answered, for tests and for sync to
 * build on) and partnerRemoved (the partner ended the partnership).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { fileResponse, route } from '../../http/route.ts';
import { PageEnvelope, StringEnum, Success } from '../../http/schemas.ts';
import type { CollaborationContext } from '../context.ts';
import { exportResponse } from '../export-response.ts';
import { importResponse } from '../import-response.ts';
import { getParticipantRow, pageParticipantRows, participantJson } from '../participant-store.ts';
import { verifyPartnerCall } from '../partner-auth.ts';
import { responseFileName } from '../response-document.ts';
import { leaveCollaboration, partnerRemoved, removeParticipant } from '../revoke.ts';
import { ImportResponseParams, ParticipantJson, WEBAUTH_NOTE, WidePaging } from '../schemas.ts';
import { getCollaborationRow } from '../store.ts';
import { validatePartner } from '../validate-partner.ts';
import { page } from '../views.ts';
import { refuseWebauth } from '../webauth.ts';
import { C, checkPortal, param, TAGS } from './portal-path.ts';
import { signedFileText } from './signed-file.ts';

const RESPONSE_FILE = {
  invitationResponseFile: 'The response file the guest exported.',
  guestWebauthCertificateFile: `A client certificate for a guest behind web-tier authentication. ${WEBAUTH_NOTE}`,
};
const Revoked = Success({ partnerTold: Type.Boolean(), message: Type.Optional(Type.String()) });

export function registerParticipantRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  const db = () => ctx.kernel.db.kysely;
  const base = { auth: 'admin' as const, tags: TAGS };
  const cid = (req: Parameters<typeof param>[0]) => param(req, 'cid');

  route(app, {
    ...base,
    method: ['GET', 'POST'],
    url: `${C}/exportInvitationResponse`,
    summary:
      "The guest's signed response to the invitation it accepted (its URL and id, its chain and the fingerprint to trust, its collaboration public key), for the host to import.",
    response: fileResponse(
      'The signed response, collaboration-response-<guest host>.invite-response (JSON).',
      ['application/json'],
    ),
    handler: async (req, _args, reply) => {
      await checkPortal(ctx, req);
      const doc = await exportResponse(ctx, cid(req));
      return reply
        .header('Content-Disposition', `attachment; filename="${responseFileName(doc.guest.portalUrl)}"`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'no-store')
        .type('application/json')
        .send(JSON.stringify(doc, null, 2));
    },
  });

  for (const [name, check] of [
    ['validateInvitationResponse', true],
    ['importInvitationResponse', false],
  ] as const)
    route(app, {
      ...base,
      method: 'POST',
      url: `${C}/${name}`,
      summary: `${
        check
          ? 'Checks a guest’s response as importing it would, without storing the participant.'
          : 'Imports a guest’s response: the host connects to the guest through its trust store (if the guest is not trusted: the message, the diagnosis and the fingerprint the signed response gives; import again with trustPresentedCertificate=<that fingerprint>), checks the response with the key the guest serves, and stores the guest as a participant.'
      } Guest web-tier parameters (guestWebauth*): empty or left out; a value is refused (collaboration.webauth_not_needed), never logged or stored.`,
      params: ImportResponseParams,
      files: RESPONSE_FILE,
      response: Success({ collaborationId: Type.String(), participantId: Type.String() }),
      handler: async (req, args) => {
        await checkPortal(ctx, req);
        refuseWebauth(req, args, 'guest');
        const text = await signedFileText(req, 'invitationResponseFile', undefined, undefined);
        const doc = await importResponse(ctx, cid(req), text, args.trustPresentedCertificate, check);
        return { success: true as const, collaborationId: cid(req), participantId: doc.guest.portalId };
      },
    });

  route(app, {
    ...base,
    method: ['GET', 'POST'],
    url: `${C}/participants`,
    summary:
      "A collaboration's participants as this portal knows them (a participant's id is its portal id), paged (start 1-based, num ≤ 100, default 100).",
    params: Type.Object(WidePaging),
    response: Type.Object({ ...PageEnvelope, participants: Type.Array(ParticipantJson) }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      await getCollaborationRow(db(), cid(req));
      const start = args.start ?? 1;
      const num = args.num ?? 100;
      const { rows, total } = await pageParticipantRows(db(), cid(req), start, num);
      return { ...page(start, num, total), participants: rows.map(participantJson) };
    },
  });

  route(app, {
    ...base,
    method: ['GET', 'POST'],
    url: `${C}/participants/:pid`,
    summary: 'One participant.',
    response: ParticipantJson,
    handler: async (req) => {
      await checkPortal(ctx, req);
      return participantJson(await getParticipantRow(db(), cid(req), param(req, 'pid')));
    },
  });

  route(app, {
    ...base,
    method: ['GET', 'POST'],
    url: `${C}/participants/:pid/validate`,
    summary:
      "Reaches the partner through this portal's trust store, as sync does: its certificate (refused: the diagnosis and the fingerprint to confirm), that it is the partner (its portal id and collaboration key) and that it accepts this portal's signed calls. With trustPresentedCertificate=<fingerprintToConfirm>, exactly that presented certificate is trusted (a partner's new certificate from a new CA), kept only if the portal behind it is the partner. No restart is needed.",
    params: Type.Object({
      trustPresentedCertificate: Type.Optional(
        Type.String({
          maxLength: 200,
          description:
            'The SHA-256 fingerprint of the presented certificate to trust, as confirmed with the partner.',
        }),
      ),
    }),
    response: Type.Object({
      status: StringEnum(['success', 'failure', 'undetermined']),
      participantId: Type.String(),
      portalUrl: Type.String(),
      messages: Type.Array(Type.String()),
      code: Type.Optional(Type.String()),
      diagnosisCode: Type.Optional(Type.String()),
      fingerprintToConfirm: Type.Optional(Type.String()),
      presentedChain: Type.Optional(
        Type.Array(
          Type.Object({
            subject: Type.String(),
            issuer: Type.String(),
            sha256Fingerprint: Type.String(),
            isCA: Type.Boolean(),
          }),
        ),
      ),
      trustAlias: Type.Optional(Type.String()),
    }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      return validatePartner(ctx, cid(req), param(req, 'pid'), args.trustPresentedCertificate || undefined);
    },
  });

  route(app, {
    ...base,
    method: 'POST',
    url: `${C}/participants/:pid/remove`,
    summary:
      'The host removes a participant: the partner is told with a signed call, and its signed calls are refused from then on on every node.',
    response: Revoked,
    handler: async (req) => {
      await checkPortal(ctx, req);
      return { success: true as const, ...(await removeParticipant(ctx, cid(req), param(req, 'pid'))) };
    },
  });

  route(app, {
    ...base,
    method: 'POST',
    url: `${C}/removeParticipation`,
    summary:
      'A guest leaves the collaboration: the host is told with a signed call; the partnership ends on both sides.',
    response: Revoked,
    handler: async (req) => {
      await checkPortal(ctx, req);
      return { success: true as const, ...(await leaveCollaboration(ctx, cid(req))) };
    },
  });

  route(app, {
    method: 'POST',
    url: `${C}/partnerPing`,
    summary:
      "A partner portal's signed call (X-Meridian-Partner), answered with the caller's participant id: proves the partnership's credentials work.",
    tags: TAGS,
    auth: 'public',
    params: Type.Object({
      message: Type.Optional(Type.String({ maxLength: 200, description: 'Echoed back.' })),
    }),
    response: Success({
      collaborationId: Type.String(),
      participantId: Type.String(),
      portalId: Type.String(),
      message: Type.String(),
    }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const partner = await verifyPartnerCall(ctx, req, cid(req));
      return {
        success: true as const,
        collaborationId: cid(req),
        participantId: partner.portal_id,
        portalId: await ctx.orgId(),
        message: args.message ?? '',
      };
    },
  });

  route(app, {
    method: 'POST',
    url: `${C}/partnerRemoved`,
    summary:
      "A partner portal's signed call: it ended the partnership (removed this portal, or left); deleteContributedItems: its items received here are to be deleted.",
    tags: TAGS,
    auth: 'public',
    params: Type.Object({ deleteContributedItems: Type.Optional(Type.Boolean()) }),
    response: Success({}),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      await partnerRemoved(
        ctx,
        await verifyPartnerCall(ctx, req, cid(req)),
        args.deleteContributedItems === true,
      );
      return { success: true as const };
    },
  });
}
