import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { setAuthErrorHandler } from '../api/client.ts';
import { getSelf } from '../api/community.ts';
import { ApiError } from '../api/errors.ts';
import * as api from '../api/session.ts';
import type { SelfUser, Session } from '../api/types.ts';
import { href, navigate, parseLocation } from '../router/router.ts';
import { SessionContext, type SessionState } from './session-context.ts';

function goToSignIn(): void {
  const here = parseLocation(window.location.href);
  if (here.page === 'signin.html') return;
  navigate(href('signin.html', { next: here.href }), { replace: true });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionState['status']>('loading');
  const [session, setSession] = useState<Session | null>(null);
  const [self, setSelf] = useState<SelfUser | null>(null);

  const clear = useCallback(() => {
    setSession(null);
    setSelf(null);
    setStatus('signed-out');
  }, []);

  const refreshSelf = useCallback(async () => {
    setSelf(await getSelf());
  }, []);

  useEffect(() => {
    setAuthErrorHandler(() => {
      clear();
      goToSignIn();
    });
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
        clear();
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

  const signIn = useCallback(async (username: string, password: string) => {
    const s = await api.signIn(username, password);
    // The same user signing in again keeps what the pages show until community/self answers.
    setSelf((current) => (current?.username === s.username ? current : null));
    setSession(s);
    setStatus('signed-in');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      clear();
      navigate(href('signin.html'));
    }
  }, [clear]);

  const signOutEverywhere = useCallback(async () => {
    await api.signOutEverywhere();
    clear();
    navigate(href('signin.html', { notice: 'signed-out-everywhere' }));
  }, [clear]);

  const value = useMemo<SessionState>(
    () => ({
      status,
      session,
      self,
      isAdmin: self?.role === 'org_admin',
      signIn,
      signOut,
      signOutEverywhere,
      refreshSelf,
    }),
    [status, session, self, signIn, signOut, signOutEverywhere, refreshSelf],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
