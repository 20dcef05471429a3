import { type ReactNode, useState } from 'react';

interface FingerprintConfirmationProps {
  fingerprint: string;
  /** What to compare, with whom (the paragraph before the fingerprint). */
  prompt: ReactNode;
  /** Whom the box says the fingerprint was checked with: "the server's administrator". */
  administrator: string;
  /** What the button does once the certificate is trusted: "federate", "validate again". */
  then: string;
  busy: boolean;
  /** Trusts the certificate with exactly this fingerprint. */
  onConfirm(fingerprint: string): void;
  /** The test id of the fingerprint shown. */
  testId: string;
}

/**
 * "Trust this certificate" for a partner whose certificate the portal does not trust: the
 * fingerprint to compare out of band, a box to tick once compared, and the button (disabled
 * until then) that confirms exactly that fingerprint.
 */
export function FingerprintConfirmation({
  fingerprint,
  prompt,
  administrator,
  then,
  busy,
  onConfirm,
  testId,
}: FingerprintConfirmationProps) {
  const [checked, setChecked] = useState(false);
  return (
    <>
      <p>{prompt}</p>
      <p>
        <code className="fingerprint" data-testid={testId}>
          {fingerprint}
        </code>
      </p>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I have
        checked this fingerprint with {administrator}
      </label>
      <div className="actions">
        <button type="button" disabled={!checked || busy} onClick={() => onConfirm(fingerprint)}>
          Trust this certificate — SHA-256 fingerprint {fingerprint} — and {then}
        </button>
      </div>
    </>
  );
}
