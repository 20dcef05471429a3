import { useEffect } from 'react';

const CHANGED = 'meridian:certificates-changed';

/** Tell every view of certificate state (the expiry banner) to read it again. */
export function notifyCertificatesChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export function useCertificatesChanged(callback: () => void): void {
  useEffect(() => {
    window.addEventListener(CHANGED, callback);
    return () => window.removeEventListener(CHANGED, callback);
  }, [callback]);
}
