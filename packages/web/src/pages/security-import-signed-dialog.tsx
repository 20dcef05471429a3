import { type FormEvent, useState } from 'react';
import { type CertificateSource, importSignedCertificate } from '../api/security.ts';
import { CertificateSourceFields } from '../components/certificate-source-fields.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ModalDialog } from '../components/modal-dialog.tsx';
import { sourceProblem } from '../lib/certificate-source.ts';

interface ImportSignedDialogProps {
  alias: string;
  onClose(): void;
  onImported(message: string): void;
}

/** The CA's answer to a signing request: replaces the certificate of `alias`, keeping its key. */
export function SecurityImportSignedDialog({ alias, onClose, onImported }: ImportSignedDialogProps) {
  const [source, setSource] = useState<CertificateSource>({});
  const [allowIncomplete, setAllowIncomplete] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const problem = sourceProblem(source);
    if (problem) return setError(new Error(problem));
    setBusy(true);
    try {
      const answer = await importSignedCertificate(alias, source, allowIncomplete);
      onImported(
        answer.chainComplete === false
          ? `Signed certificate imported for "${alias}", but its chain is incomplete: import the issuing CA certificates too.`
          : `Signed certificate imported for "${alias}".`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <ModalDialog title={`Import signed certificate for "${alias}"`} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <p className="hint">
          The certificate your CA issued for this alias's signing request: PEM, DER or PKCS#7.
        </p>
        <CertificateSourceFields onChange={setSource} />
        <label className="check">
          <input
            type="checkbox"
            checked={allowIncomplete}
            onChange={(e) => setAllowIncomplete(e.target.checked)}
          />
          Import even if the issuing CA is not in the file or the trust store
        </label>
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Import
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
