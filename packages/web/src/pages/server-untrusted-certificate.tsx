import { useId, useState } from 'react';
import type { UntrustedCertificate } from '../api/servers.ts';
import { formatDate } from '../lib/format.ts';

interface UntrustedCertificateProps {
  untrusted: UntrustedCertificate;
  busy: boolean;
  /** Federates again, trusting the certificate with this fingerprint. */
  onConfirm(fingerprint: string): void;
}

function expiry(notAfter: number | string): string {
  const ms = typeof notAfter === 'number' ? notAfter : Date.parse(notAfter);
  return Number.isFinite(ms) ? formatDate(ms) : String(notAfter);
}

/**
 * The portal does not trust the server's certificate: the diagnosis, the chain the server
 * presented and, once the administrator has compared the fingerprint, "Trust … and federate".
 */
export function ServerUntrustedCertificate({ untrusted, busy, onConfirm }: UntrustedCertificateProps) {
  const [checked, setChecked] = useState(false);
  const headingId = useId();
  const fingerprint = untrusted.fingerprintToConfirm;
  return (
    <section className="stack trust-step" aria-labelledby={headingId} data-testid="untrusted-certificate">
      <h3 id={headingId}>The portal does not trust this server's certificate</h3>
      <div className="diagnosis diagnosis-problem">
        {untrusted.messages.map((m) => (
          <p key={m}>{m}</p>
        ))}
      </div>
      <h4>Certificates the server presented</h4>
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
                <dt>Expires</dt>
                <dd>{expiry(c.notAfter)}</dd>
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
        Only trust it if you are sure it belongs to the server. Ask the server's administrator for the SHA-256
        fingerprint and compare it with this one, character by character:
      </p>
      <p>
        <code className="fingerprint" data-testid="fingerprint-to-confirm">
          {fingerprint}
        </code>
      </p>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I have
        checked this fingerprint with the server's administrator
      </label>
      <div className="actions">
        <button type="button" disabled={!checked || busy} onClick={() => onConfirm(fingerprint)}>
          Trust this certificate — SHA-256 fingerprint {fingerprint} — and federate
        </button>
      </div>
    </section>
  );
}
