import type { FastifyReply } from 'fastify';
import type { TokensApi } from '../../tokens/module.ts';
import { PORTAL_CLIENT_ID } from '../apps/registry.ts';
import type { SignedInUser } from './complete.ts';
import type { FlowContext } from './context.ts';

/** A web session as another module hears of it (never its token). */
export interface OpenedWebSession {
  sessionId: string;
  /** The OAuth grant the session is bound to (the authorization that proved the user). */
  grantId: string;
  userId: string;
  /** Epoch ms. */
  expires: number;
}

/** A form the browser posts to another site at once (the SAML HTTP-POST binding). */
export interface AutoPostForm {
  title: string;
  action: string;
  fields: Record<string, string>;
}

/**
 * Asked when GET oauth2/signout has ended a session: where the browser goes next instead, if
 * anywhere: a URL, or a form it posts there.
 */
export type SignOutListener = (s: {
  sessionId: string;
  /** Where the browser would go otherwise (a redirect URI registered for the app), if anywhere. */
  next: string | undefined;
}) => Promise<string | AutoPostForm | undefined>;

/**
 * The web sessions of the OAuth flow as other modules (SAML) see them: told when one opens,
 * asked when one signs out, able to open one for a user they proved themselves and to end
 * sessions and grants on every node.
 */
export interface WebSessions {
  /** Called after the web UI exchanged a code for a session (oauth2/session); not for open(). */
  onOpened(listener: (s: OpenedWebSession) => Promise<void>): void;
  /** Called by GET oauth2/signout after the session ended; the first URL (or form) answered is where the browser goes. */
  onSignOut(listener: SignOutListener): void;
  /** Opens a web session of the portal's own client (arcgisonline) under a new grant: sets the cookie. */
  open(reply: FastifyReply, user: SignedInUser): Promise<OpenedWebSession>;
  /** Ends these web sessions and revokes these grants (their tokens, codes, refresh tokens), on every node. */
  end(s: { sessionIds: readonly string[]; grantIds: readonly string[] }): Promise<void>;
}

/** The listeners, kept by the oauth module; the flow's routes fire them. */
export class SessionEvents {
  readonly opened: Array<(s: OpenedWebSession) => Promise<void>> = [];
  readonly signedOut: SignOutListener[] = [];

  async fireOpened(s: OpenedWebSession): Promise<void> {
    for (const l of this.opened) await l(s);
  }

  /** The first listener's answer; a failing listener is logged and skipped (the portal session is over anyway). */
  async fireSignedOut(
    log: FlowContext['log'],
    s: Parameters<SignOutListener>[0],
  ): Promise<string | AutoPostForm | undefined> {
    for (const l of this.signedOut) {
      try {
        const to = await l(s);
        if (to) return to;
      } catch (err) {
        log.warn({ err }, 'a sign-out step of another module failed; the portal session was ended');
      }
    }
    return undefined;
  }
}

export function webSessions(
  ctx: FlowContext & { readonly tokens: Pick<TokensApi, 'openWebSession' | 'endWebSessions'> },
  events: SessionEvents,
): WebSessions {
  return {
    onOpened: (l) => void events.opened.push(l),
    onSignOut: (l) => void events.signedOut.push(l),
    async open(reply, user) {
      const grantId = await ctx.grants.create(PORTAL_CLIENT_ID, user.id, ctx.clock.now());
      const session = await ctx.tokens.openWebSession(reply, user, { grantId });
      await ctx.grants.extend(grantId, session.expires);
      return { sessionId: session.sessionId, grantId, userId: user.id, expires: session.expires };
    },
    async end({ sessionIds, grantIds }) {
      await ctx.tokens.endWebSessions(sessionIds);
      for (const id of grantIds) await ctx.grants.revoke(id);
    },
  };
}
