import { createContext, useContext } from 'react';
import type { SelfUser, Session } from '../api/types.ts';

/**
 * Why the last session ended, which decides where the sign-in page sends the user back to:
 * after `signed-out` or `signed-out-everywhere` nowhere in particular (the latter with a
 * notice); after `expired` (the portal answered 498/499), `password-changed` (with a notice) or
 * when there never was one (null), the page the user was on.
 */
export type SessionEnd = 'signed-out' | 'signed-out-everywhere' | 'password-changed' | 'expired' | null;

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  ended: SessionEnd;
  session: Session | null;
  /** community/self: role and groups. Null until loaded. */
  self: SelfUser | null;
  isAdmin: boolean;
  /** The session the OAuth callback opened (oauth2/session). */
  adoptSession(session: Session): void;
  /** Ends only this browser's session: leaves for the portal's oauth2/signout, which comes back. */
  signOut(): void;
  /** The user's own password change ended every session, this one too: sign in again, then come back. */
  passwordChanged(): void;
  /** Revokes every token and web session of the user (the sign-in page then says so). */
  signOutEverywhere(): Promise<void>;
  refreshSelf(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** For pages that render only when signed in. */
export function useSignedIn(): SessionState & { session: Session } {
  const value = useSession();
  if (!value.session) throw new Error('useSignedIn without a session');
  return value as SessionState & { session: Session };
}
