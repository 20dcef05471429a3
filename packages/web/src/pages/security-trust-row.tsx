import { useState } from 'react';
import { deleteTrustedCertificate, type TrustedCertificate } from '../api/security.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ExpiryBadge } from '../components/expiry-badge.tsx';
import { formatDay } from '../lib/certificate-format.ts';

interface TrustRowProps {
  cert: TrustedCertificate;
  onChanged(message: string): void;
}

export function SecurityTrustRow({ cert, onChanged }: TrustRowProps) {
  const [error, setError] = useState<unknown>(null);

  async function remove() {
    setError(null);
    try {
      await deleteTrustedCertificate(cert.alias);
      onChanged(`"${cert.alias}" removed from the trust store.`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <tr data-testid={`trust-row-${cert.alias}`}>
      <th scope="row" data-label="Alias" className="nowrap">
        {cert.alias}
      </th>
      <td data-label="Subject" className="wrap">
        {cert.subject}
      </td>
      <td data-label="SHA-256">
        <code className="fingerprint" data-testid="fingerprint">
          {cert.sha256Fingerprint}
        </code>
      </td>
      <td data-label="Valid until" className="nowrap">
        {formatDay(cert.validUntil)}
      </td>
      <td data-label="Expiry">
        <ExpiryBadge state={cert.expiryState} daysLeft={cert.daysLeft} />
      </td>
      <td data-label="Actions">
        {cert.builtIn ? (
          <span className="muted">Portal CA (built in)</span>
        ) : (
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete ${cert.alias}`}
            question={`Stop trusting "${cert.alias}"?`}
            confirmLabel="Yes, delete"
            onConfirm={remove}
          />
        )}
        <ErrorAlert error={error} />
      </td>
    </tr>
  );
}
