import { useId } from 'react';
import { generateCsr } from '../api/security.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { ModalDialog } from '../components/modal-dialog.tsx';
import { TextDownloadLink } from '../components/text-download-link.tsx';
import { useAsync } from '../lib/use-async.ts';

/** Creates a certificate signing request for `alias` and shows it to copy or download. */
export function SecurityCsrDialog({ alias, onClose }: { alias: string; onClose(): void }) {
  const csr = useAsync(() => generateCsr(alias), [alias]);
  const textId = useId();
  const pem = csr.data?.certificateSigningRequest ?? '';

  return (
    <ModalDialog title={`Certificate signing request for "${alias}"`} onClose={onClose}>
      <ErrorAlert error={csr.error} />
      {csr.loading && <Loading />}
      {pem && (
        <div className="stack">
          <p className="hint">
            Send this request to your certificate authority, then import the certificate it returns with
            "Import signed certificate".
          </p>
          <label htmlFor={textId}>Certificate signing request (PEM)</label>
          <textarea id={textId} className="pem" readOnly rows={12} value={pem} spellCheck={false} />
          <div className="actions">
            <CopyButton text={pem} />
            <TextDownloadLink text={pem} filename={`${alias}.csr`} type="application/pkcs10">
              Download .csr
            </TextDownloadLink>
          </div>
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
