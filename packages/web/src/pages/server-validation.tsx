import type { ServerValidation } from '../api/servers.ts';
import { FingerprintConfirmation } from '../components/fingerprint-confirmation.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import type { BadgeLook } from '../lib/run-format.ts';

export const VALIDATION_LOOK: Record<string, BadgeLook> = {
  success: { label: 'Success', kind: 'ok' },
  'success with warnings': { label: 'Success with warnings', kind: 'warn' },
  failure: { label: 'Failure', kind: 'bad' },
  undetermined: { label: 'Undetermined', kind: 'info' },
};

interface ValidationResultProps {
  result: ServerValidation;
  busy: boolean;
  /** Validates again, trusting the server's new certificate with this fingerprint. */
  onConfirm(fingerprint: string): void;
}

/**
 * The result of validating a federated server: its status and what each check found; when the
 * server now presents a certificate from a CA the portal does not trust, the fingerprint to
 * compare and "Trust … and validate again".
 */
export function ServerValidationResult({ result, busy, onConfirm }: ValidationResultProps) {
  const fingerprint = result.fingerprintToConfirm;
  return (
    <div className="stack server-validation" data-testid="server-validation">
      <p>
        Validation: <StatusBadge looks={VALIDATION_LOOK} value={result.status} testId="validation-status" />
      </p>
      {result.messages.length > 0 && (
        <ul className="list">
          {result.messages.map((m) => (
            <li key={m} className="wrap">
              {m}
            </li>
          ))}
        </ul>
      )}
      {fingerprint && (
        <div className="stack trust-step" data-testid="validation-confirm">
          <FingerprintConfirmation
            fingerprint={fingerprint}
            prompt="Ask the server's administrator for the SHA-256 fingerprint of its new certificate and compare it with this one, character by character:"
            administrator="the server's administrator"
            then="validate again"
            busy={busy}
            onConfirm={onConfirm}
            testId="validation-fingerprint"
          />
        </div>
      )}
    </div>
  );
}
