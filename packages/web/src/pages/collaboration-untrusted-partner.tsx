import { useId, useState } from 'react';
import type { UntrustedPartner } from '../api/collaboration-exchange.ts';

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
 * partner signed into its file; once the administrator has compared it with the partner's
 * administrator, "Trust … and <then>".
 */
export function CollaborationUntrustedPartner({
  untrusted,
  partner,
  then,
  busy,
  onConfirm,
}: CollaborationUntrustedPartnerProps) {
  const [checked, setChecked] = useState(false);
  const headingId = useId();
  const fingerprint = untrusted.fingerprintToConfirm;
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
      <ol className="chain" data-testid="presented-chain">
        {untrusted.presentedChain.map((c) => (
          <li key={c.sha256Fingerprint}>
            <dl className="details">
              <div>
                <dt>Subject</dt>
                <dd className="wrap">{c.subject}</dd>
              </div>
              <div>
                <dt>Issuer</dt>
                <dd className="wrap">{c.issuer}</dd>
              </div>
              <div>
                <dt>Kind</dt>
                <dd>{c.isCA ? 'Certificate authority' : 'Server certificate'}</dd>
              </div>
              <div>
                <dt>SHA-256 fingerprint</dt>
                <dd>
                  <code className="fingerprint">{c.sha256Fingerprint}</code>
                </dd>
              </div>
            </dl>
          </li>
        ))}
      </ol>
      <p>
        The {partner} portal signed this fingerprint into the file. Trust it only after its administrator has
        read you theirs and it matches, character by character:
      </p>
      <p>
        <code className="fingerprint" data-testid="fingerprint-to-confirm">
          {fingerprint}
        </code>
      </p>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I have
        compared this fingerprint with the {partner} portal's administrator
      </label>
      <div className="actions">
        <button type="button" disabled={!checked || busy} onClick={() => onConfirm(fingerprint)}>
          Trust this certificate — SHA-256 fingerprint {fingerprint} — and {then}
        </button>
      </div>
    </section>
  );
}
