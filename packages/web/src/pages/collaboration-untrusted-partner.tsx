import { useId } from 'react';
import type { UntrustedPartner } from '../api/collaboration-exchange.ts';
import { FingerprintConfirmation } from '../components/fingerprint-confirmation.tsx';
import { PresentedChain } from '../components/presented-chain.tsx';

interface CollaborationUntrustedPartnerProps {
  untrusted: UntrustedPartner;
  /** "host" (accepting an invitation) or "guest" (importing a response). */
  partner: 'host' | 'guest';
  /** What confirming does, ending the button's text: "accept the invitation". */
  then: string;
  busy: boolean;
  /** Sends the request again, trusting the certificate with this fingerprint. */
  onConfirm(fingerprint: string): void;
}

/**
 * This portal does not trust the partner portal's certificate: the portal's message (the
 * seed's words and the diagnosis), the chain the partner presented, and the fingerprint the
 * partner signed into its file to compare with the partner's administrator, then "Trust … and
 * <then>" (components/fingerprint-confirmation.tsx).
 */
export function CollaborationUntrustedPartner({
  untrusted,
  partner,
  then,
  busy,
  onConfirm,
}: CollaborationUntrustedPartnerProps) {
  const headingId = useId();
  return (
    <section className="stack trust-step" aria-labelledby={headingId} data-testid="untrusted-partner">
      <h3 id={headingId}>This portal does not trust the {partner} portal's certificate</h3>
      <div className="diagnosis diagnosis-problem" data-testid="untrusted-partner-message">
        <p>{untrusted.message}</p>
        {untrusted.missingIssuer && (
          <p>
            Missing certificate authority: <span className="wrap">{untrusted.missingIssuer}</span>
          </p>
        )}
      </div>
      <h4>Certificates the {partner} portal presented</h4>
      <PresentedChain chain={untrusted.presentedChain} />
      <FingerprintConfirmation
        fingerprint={untrusted.fingerprintToConfirm}
        prompt={`The ${partner} portal signed this fingerprint into the file. Trust it only after its administrator has read you theirs and it matches, character by character:`}
        administrator={`the ${partner} portal's administrator`}
        then={then}
        busy={busy}
        onConfirm={onConfirm}
        testId="fingerprint-to-confirm"
      />
    </section>
  );
}
