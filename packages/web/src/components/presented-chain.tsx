import { formatDate } from '../lib/format.ts';

/** A certificate another site presented, as the portal's diagnosis describes it. */
export interface ChainCertificate {
  subject: string;
  issuer: string;
  sha256Fingerprint: string;
  /** Shown when known: whether it is a certificate authority. */
  isCA?: boolean;
  /** Shown when known: its expiry (epoch ms or an ISO date). */
  notAfter?: number | string;
}

function expiry(notAfter: number | string): string {
  const ms = typeof notAfter === 'number' ? notAfter : Date.parse(notAfter);
  return Number.isFinite(ms) ? formatDate(ms) : String(notAfter);
}

/** The certificates a site presented (leaf first): subject, issuer, kind, expiry, fingerprint. */
export function PresentedChain({ chain }: { chain: readonly ChainCertificate[] }) {
  return (
    <ol className="chain" data-testid="presented-chain">
      {chain.map((c) => (
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
            {c.isCA !== undefined && (
              <div>
                <dt>Kind</dt>
                <dd>{c.isCA ? 'Certificate authority' : 'Server certificate'}</dd>
              </div>
            )}
            {c.notAfter !== undefined && (
              <div>
                <dt>Expires</dt>
                <dd>{expiry(c.notAfter)}</dd>
              </div>
            )}
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
  );
}
