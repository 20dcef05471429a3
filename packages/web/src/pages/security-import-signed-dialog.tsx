import { type FormEvent, useState } from 'react';
import { type CertificateSource, importSignedCertificate } from '../api/security.ts';
import { CertificateSourceFields } from '../components/certificate-source-fields.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ModalDialog } from '../components/modal-dialog.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { sourceProblem } from '../lib/certificate-source.ts';
import { useAction } from '../lib/use-action.ts';

interface ImportSignedDialogProps {
  alias: string;
  onClose(): void;
  onImported(message: string): void;
}

/** The CA's answer to a signing request: replaces the certificate of `alias`, keeping its key. */
export function SecurityImportSignedDialog({ alias, onClose, onImported }: ImportSignedDialogProps) {
  const [source, setSource] = useState<CertificateSource>({});
  const [allowIncomplete, setAllowIncomplete] = useState(false);
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = sourceProblem(source);
    if (problem) return setError(new Error(problem));
    await run(async () => {
      const answer = await importSignedCertificate(alias, source, allowIncomplete);
      onImported(
        answer.chainComplete === false
          ? `Signed certificate imported for "${alias}", but its chain is incomplete: import the issuing CA certificates too.`
          : `Signed certificate imported for "${alias}".`,
      );
    });
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
        <SubmitOrCancel submit="Import" disabled={busy} onCancel={onClose} />
      </form>
    </ModalDialog>
  );
}
