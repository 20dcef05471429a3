import { useId } from 'react';
import type { UntrustedCertificate } from '../api/servers.ts';
import { FingerprintConfirmation } from '../components/fingerprint-confirmation.tsx';
import { PresentedChain } from '../components/presented-chain.tsx';

interface UntrustedCertificateProps {
  untrusted: UntrustedCertificate;
  busy: boolean;
  /** Federates again, trusting the certificate with this fingerprint. */
  onConfirm(fingerprint: string): void;
}

/**
 * The portal does not trust the server's certificate: the diagnosis, the chain the server
 * presented and, once the administrator has compared the fingerprint, "Trust … and federate".
 */
export function ServerUntrustedCertificate({ untrusted, busy, onConfirm }: UntrustedCertificateProps) {
  const headingId = useId();
  return (
    <section className="stack trust-step" aria-labelledby={headingId} data-testid="untrusted-certificate">
      <h3 id={headingId}>The portal does not trust this server's certificate</h3>
      <div className="diagnosis diagnosis-problem">
        {untrusted.messages.map((m) => (
          <p key={m}>{m}</p>
        ))}
      </div>
      <h4>Certificates the server presented</h4>
      <PresentedChain chain={untrusted.presentedChain} />
      <FingerprintConfirmation
        fingerprint={untrusted.fingerprintToConfirm}
        prompt="Only trust it if you are sure it belongs to the server. Ask the server's administrator for the SHA-256 fingerprint and compare it with this one, character by character:"
        administrator="the server's administrator"
        then="federate"
        busy={busy}
        onConfirm={onConfirm}
        testId="fingerprint-to-confirm"
      />
    </section>
  );
}
