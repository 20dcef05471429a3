import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { setAuthErrorHandler, setCsrfToken } from '../api/client.ts';
import { getSelf } from '../api/community.ts';
import { ApiError } from '../api/errors.ts';
import * as api from '../api/session.ts';
import type { SelfUser, Session } from '../api/types.ts';
import { signOutUrl } from '../lib/oauth-sign-in.ts';
import { SessionContext, type SessionEnd, type SessionState } from './session-context.ts';

/**
 * The browser's session with the portal. It never navigates within the UI: pages that need a
 * session send a signed-out user to the sign-in page themselves (router/guards.tsx), reading
 * `ended` to know whether to come back. Signing in and out leave for the portal's OAuth pages
 * (lib/oauth-sign-in.ts).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionState['status']>('loading');
  const [ended, setEnded] = useState<SessionEnd>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [self, setSelf] = useState<SelfUser | null>(null);

  const clear = useCallback((why: SessionEnd) => {
    setEnded(why);
    setSession(null);
    setSelf(null);
    setStatus('signed-out');
  }, []);

  const refreshSelf = useCallback(async () => {
    setSelf(await getSelf());
  }, []);

  useEffect(() => {
    setAuthErrorHandler(() => clear('expired'));
    return () => setAuthErrorHandler(null);
  }, [clear]);

  useEffect(() => {
    let live = true;
    api
      .getSession()
      .then((s) => {
        if (!live) return;
        setSession(s);
        setStatus('signed-in');
      })
      .catch((err: unknown) => {
        if (!live) return;
        clear(null);
        if (!(err instanceof ApiError) || !err.isAuthError) console.error(err);
      });
    return () => {
      live = false;
    };
  }, [clear]);

  // Read community/self again for every new session (a sign-in, or signing in again after a
  // password change).
  useEffect(() => {
    if (status !== 'signed-in' || !session) return;
    refreshSelf().catch((err: unknown) => console.error(err));
  }, [status, session, refreshSelf]);

  const adoptSession = useCallback((s: Session) => {
    // The same user signing in again keeps what the pages show until community/self answers.
    setSelf((current) => (current?.username === s.username ? current : null));
    setSession(s);
    setEnded(null);
    setStatus('signed-in');
  }, []);

  const signOut = useCallback(() => {
    setCsrfToken(null);
    // The portal ends the session, clears its cookie and sends the browser back to the
    // callback, which shows the sign-in page.
    window.location.assign(signOutUrl());
  }, []);

  const passwordChanged = useCallback(() => {
    setCsrfToken(null);
    clear('password-changed');
  }, [clear]);

  const signOutEverywhere = useCallback(async () => {
    await api.signOutEverywhere();
    clear('signed-out-everywhere');
  }, [clear]);

  const value = useMemo<SessionState>(
    () => ({
      status,
      ended,
      session,
      self,
      isAdmin: self?.role === 'org_admin',
      adoptSession,
      signOut,
      passwordChanged,
      signOutEverywhere,
      refreshSelf,
    }),
    [status, ended, session, self, adoptSession, signOut, passwordChanged, signOutEverywhere, refreshSelf],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
