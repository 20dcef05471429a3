import type { ServerValidation } from '../api/servers.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import type { BadgeLook } from '../lib/run-format.ts';

export const VALIDATION_LOOK: Record<string, BadgeLook> = {
  success: { label: 'Success', kind: 'ok' },
  'success with warnings': { label: 'Success with warnings', kind: 'warn' },
  failure: { label: 'Failure', kind: 'bad' },
  undetermined: { label: 'Undetermined', kind: 'info' },
};

/** The result of validating a federated server: its status and what each check found. */
export function ServerValidationResult({ result }: { result: ServerValidation }) {
  return (
    <div className="stack" data-testid="server-validation">
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
    </div>
  );
}
