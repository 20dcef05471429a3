/** The guest's side of an invitation: validateCollaborationInvitation and acceptCollaborationInvitation. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireCaller } from '../../http/require-caller.ts';
import { route } from '../../http/route.ts';
import { Success } from '../../http/schemas.ts';
import { acceptInvitation } from '../accept.ts';
import type { CollaborationContext } from '../context.ts';
import { AcceptParams, WEBAUTH_NOTE } from '../schemas.ts';
import { refuseWebauth } from '../webauth.ts';
import { checkPortal, P, TAGS } from './portal-path.ts';
import { signedFileText } from './signed-file.ts';

const FILES = {
  invitationFile: 'The invitation file the host gave (collaboration-<this host>.invite).',
  hostWebauthCertificateFile: `A client certificate for a host behind web-tier authentication. ${WEBAUTH_NOTE}`,
};

const Answer = Success({
  collaborationId: Type.String(),
  collaborationName: Type.String(),
  hostPortalUrl: Type.String(),
  hostPortalId: Type.String(),
  invitationId: Type.String(),
  workspaces: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), accessMode: Type.String() })),
});

export function registerGuestRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  for (const [name, check] of [
    ['validateCollaborationInvitation', true],
    ['acceptCollaborationInvitation', false],
  ] as const)
    route(app, {
      method: 'POST',
      url: `${P}/${name}`,
      summary: `${
        check
          ? 'Checks an invitation as accepting it would (addressed to this portal, not expired, the host reached through the trust store, its signature, the host willing), without accepting it.'
          : 'Accepts an invitation: this portal connects to the host through its trust store (if the host is not trusted: the message, the diagnosis and the fingerprint the signed invitation gives; accept again with trustPresentedCertificate=<that fingerprint>), verifies the invitation with the key the host serves, and the host takes its one-time secret.'
      } Host web-tier parameters (hostWebauth*): empty or left out; a value is refused (collaboration.webauth_not_needed), never logged or stored.`,
      tags: TAGS,
      auth: 'admin',
      params: AcceptParams,
      files: FILES,
      response: Answer,
      handler: async (req, args) => {
        await checkPortal(ctx, req);
        refuseWebauth(req, args, 'host');
        const text = await signedFileText(req, 'invitationFile', 'invitationJSON', args.invitationJSON);
        const doc = await acceptInvitation(ctx, { ...args, text }, requireCaller(req.caller).username, check);
        return {
          success: true as const,
          collaborationId: doc.collaboration.id,
          collaborationName: doc.collaboration.name,
          hostPortalUrl: doc.host.portalUrl,
          hostPortalId: doc.host.portalId,
          invitationId: doc.invitationId,
          workspaces: doc.workspaces.map((w) => ({ id: w.id, name: w.name, accessMode: w.accessMode })),
        };
      },
    });
}
