import { useState } from 'react';
import type { ApiError } from '../api/errors.ts';
import {
  deleteCertificate,
  exportCertificateUrl,
  type ServerCertificate,
  updateSslSettings,
} from '../api/security.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ExpiryBadge } from '../components/expiry-badge.tsx';
import {
  sendUnlessRefused,
  UnsuitableCertificateDialog,
} from '../components/unsuitable-certificate-dialog.tsx';
import { formatDay } from '../lib/certificate-format.ts';
import { useAction } from '../lib/use-action.ts';
import { SecurityCsrDialog } from './security-csr-dialog.tsx';
import { SecurityImportSignedDialog } from './security-import-signed-dialog.tsx';

interface CertificateRowProps {
  cert: ServerCertificate;
  isWebServer: boolean;
  onChanged(message: string): void;
}

export function SecurityCertificateRow({ cert, isWebServer, onChanged }: CertificateRowProps) {
  const [dialog, setDialog] = useState<'csr' | 'import' | null>(null);
  const { busy, error, setError, run } = useAction();
  const [refused, setRefused] = useState<ApiError | null>(null);
  const inUse = cert.inUse || isWebServer;

  async function makeWebServerCertificate(force = false) {
    await run(async () => {
      const send = () => updateSslSettings({ webServerCertificateAlias: cert.alias, force });
      if (await sendUnlessRefused(send, force, setRefused))
        onChanged(`"${cert.alias}" is now the web server certificate. New connections use it.`);
    });
  }

  async function remove() {
    setError(null);
    try {
      await deleteCertificate(cert.alias);
      onChanged(`Certificate "${cert.alias}" deleted.`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <tr data-testid={`certificate-row-${cert.alias}`}>
      <th scope="row" data-label="Alias" className="nowrap">
        {cert.alias}
      </th>
      <td data-label="Subject" className="wrap">
        {cert.subject}
      </td>
      <td data-label="Issuer" className="wrap">
        {cert.issuer}
        {cert.issuedByLocalCa && <span className="muted"> (portal CA)</span>}
      </td>
      <td data-label="Valid until" className="nowrap">
        {formatDay(cert.validUntil)}
      </td>
      <td data-label="Expiry">
        <ExpiryBadge state={cert.expiryState} daysLeft={cert.daysLeft} />
      </td>
      <td data-label="In use">
        {inUse ? (
          <span className="badge badge-info" data-testid="in-use">
            {isWebServer ? 'In use (web server)' : 'In use'}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Actions">
        <div className="row-actions">
          {cert.hasPrivateKey && !isWebServer && (
            <button type="button" disabled={busy} onClick={() => makeWebServerCertificate()}>
              Use as web server certificate
            </button>
          )}
          {cert.hasPrivateKey && (
            <button type="button" onClick={() => setDialog('csr')}>
              Create CSR
            </button>
          )}
          {cert.hasPrivateKey && (
            <button type="button" onClick={() => setDialog('import')}>
              Import signed certificate
            </button>
          )}
          <a className="button" href={exportCertificateUrl(cert.alias, 'der')} download={`${cert.alias}.cer`}>
            Export DER
          </a>
          <a className="button" href={exportCertificateUrl(cert.alias, 'pem')} download={`${cert.alias}.pem`}>
            Export PEM
          </a>
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete ${cert.alias}`}
            question={`Delete "${cert.alias}" and its key?`}
            confirmLabel="Yes, delete"
            disabled={inUse}
            onConfirm={remove}
          />
        </div>
        {inUse && <p className="hint">A certificate in use cannot be deleted.</p>}
        <ErrorAlert error={error} />
        {refused && (
          <UnsuitableCertificateDialog
            error={refused}
            onConfirm={() => makeWebServerCertificate(true)}
            onCancel={() => setRefused(null)}
          />
        )}
        {dialog === 'csr' && <SecurityCsrDialog alias={cert.alias} onClose={() => setDialog(null)} />}
        {dialog === 'import' && (
          <SecurityImportSignedDialog
            alias={cert.alias}
            onClose={() => setDialog(null)}
            onImported={(message) => {
              setDialog(null);
              onChanged(message);
            }}
          />
        )}
      </td>
    </tr>
  );
}
