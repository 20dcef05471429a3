import { useId, useState } from 'react';
import {
  type FederatedServer,
  formatServerRole,
  SERVER_ROLES,
  type ServerValidation,
  unfederateServer,
  updateServer,
  validateServer,
} from '../api/servers.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useAction } from '../lib/use-action.ts';
import { ServerValidationResult } from './server-validation.tsx';

interface ServerRowProps {
  server: FederatedServer;
  onChanged(message: string): void;
}

/** One federated server: what it is, and Validate, Change role, Unfederate. */
export function ServerRow({ server, onChanged }: ServerRowProps) {
  const [validation, setValidation] = useState<ServerValidation | null>(null);
  const [role, setRole] = useState(server.serverRole);
  const action = useAction();
  const roleId = useId();

  return (
    <li className="panel stack" data-testid="server-row" aria-label={server.name}>
      <h3 className="wrap">{server.name}</h3>
      <dl className="details">
        <div>
          <dt>URL</dt>
          <dd className="wrap" data-testid="server-url">
            {server.url}
          </dd>
        </div>
        <div>
          <dt>Administration URL</dt>
          <dd className="wrap">{server.adminUrl}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd data-testid="server-role">{formatServerRole(server.serverRole)}</dd>
        </div>
        <div>
          <dt>Function</dt>
          <dd>{server.serverFunction || '—'}</dd>
        </div>
      </dl>
      <ErrorAlert error={action.error} />
      {validation && (
        <ServerValidationResult
          result={validation}
          busy={action.busy}
          onConfirm={(fingerprint) =>
            action.run(async () => {
              setValidation(null);
              setValidation(await validateServer(server.id, fingerprint));
            })
          }
        />
      )}
      <div className="actions">
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              setValidation(null);
              setValidation(await validateServer(server.id));
            })
          }
        >
          Validate
        </button>
        <label htmlFor={roleId}>Role</label>
        <select id={roleId} value={role} onChange={(e) => setRole(e.target.value)}>
          {SERVER_ROLES.map((r) => (
            <option key={r} value={r}>
              {formatServerRole(r)}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={action.busy || role === server.serverRole}
          onClick={() =>
            action.run(async () => {
              await updateServer(server.id, { serverRole: role, serverFunction: server.serverFunction });
              onChanged(`${server.name} is now: ${formatServerRole(role)}.`);
            })
          }
        >
          Update role
        </button>
        <ConfirmButton
          label="Unfederate"
          ariaLabel={`Unfederate ${server.name}`}
          question={`Unfederate ${server.name}? Portal members can no longer use its services with their portal accounts.`}
          confirmLabel="Unfederate"
          onConfirm={async () => {
            await action.run(async () => {
              await unfederateServer(server.id);
              onChanged(`Unfederated ${server.name}.`);
            });
          }}
        />
      </div>
    </li>
  );
}
