import { createContext, useContext } from 'react';
import type { SelfUser, Session } from '../api/types.ts';

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  session: Session | null;
  /** community/self: role and groups. Null until loaded. */
  self: SelfUser | null;
  isAdmin: boolean;
  signIn(username: string, password: string): Promise<void>;
  /** Ends only this browser's session. */
  signOut(): Promise<void>;
  /** Revokes every token and web session of the user, then shows the sign-in page. */
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
