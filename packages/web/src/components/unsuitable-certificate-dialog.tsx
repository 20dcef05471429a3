import { ApiError } from '../api/errors.ts';
import { useAction } from '../lib/use-action.ts';
import { ModalDialog } from './modal-dialog.tsx';

export const UNSUITABLE_CERTIFICATE = 'pki.unsuitable_server_certificate';

/** Did the portal refuse a web server certificate that an administrator may still force? */
export function isUnsuitableCertificate(err: unknown): err is ApiError {
  return err instanceof ApiError && err.errorCode === UNSUITABLE_CERTIFICATE;
}

/**
 * Sends a change of the web server certificate. When the portal refuses an unforced change for an
 * unsuitable certificate, the refusal goes to `setRefused` (the dialog then asks) and this resolves
 * false; otherwise the refusal is cleared, and what `send` throws is thrown.
 */
export async function sendUnlessRefused(
  send: () => Promise<unknown>,
  force: boolean,
  setRefused: (refused: ApiError | null) => void,
): Promise<boolean> {
  try {
    await send();
  } catch (err) {
    if (!force && isUnsuitableCertificate(err)) {
      setRefused(err);
      return false;
    }
    setRefused(null);
    throw err;
  }
  setRefused(null);
  return true;
}

interface Unsuitable {
  alias: string;
  host: string;
  sni?: boolean;
  reasons: string[];
}

function unsuitableOf(err: ApiError): Unsuitable[] {
  const list = err.data.unsuitable;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (u): u is Unsuitable =>
      !!u && typeof u.alias === 'string' && typeof u.host === 'string' && Array.isArray(u.reasons),
  );
}

interface UnsuitableCertificateDialogProps {
  error: ApiError;
  /** Sends the same change again with force=true (and shows its own errors). */
  onConfirm(): Promise<void>;
  onCancel(): void;
}

/**
 * The portal's reasons for refusing a certificate, in words, and the question whether to use it
 * anyway (which resends the change with force=true).
 */
export function UnsuitableCertificateDialog({
  error,
  onConfirm,
  onCancel,
}: UnsuitableCertificateDialogProps) {
  const { busy, run } = useAction();
  const unsuitable = unsuitableOf(error);

  return (
    <ModalDialog title="Use this certificate anyway?" onClose={onCancel}>
      <div className="stack" data-testid="unsuitable-certificate">
        {unsuitable.length === 0 && <p>{error.message}</p>}
        {unsuitable.map((u) => (
          <div key={`${u.alias}/${u.host}`}>
            <p>
              The certificate "{u.alias}" does not fit{' '}
              {u.sni ? `the host name ${u.host}` : `this portal (${u.host})`}:
            </p>
            <ul data-testid="unsuitable-reasons">
              {u.reasons.map((r) => (
                <li key={r}>{r}.</li>
              ))}
            </ul>
          </div>
        ))}
        <p>
          While the portal serves it, browsers, ArcGIS clients and partner portals will warn about or refuse
          HTTPS connections to the portal. Nothing has been changed yet.
        </p>
        <p>
          <strong>Use it anyway?</strong>
        </p>
        <div className="actions">
          <button type="button" className="danger" disabled={busy} onClick={() => run(onConfirm)}>
            Use it anyway
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
