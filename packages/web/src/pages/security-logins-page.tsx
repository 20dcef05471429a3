import { useState } from 'react';
import {
  addSpKey,
  getSamlLogin,
  getSpKeys,
  getSpMetadata,
  retireSpKey,
  type SamlLogin,
  unregisterLogin,
} from '../api/saml.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { TextDownloadLink } from '../components/text-download-link.tsx';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { FederationStatus } from './security-federation-status.tsx';
import { SecurityLayout } from './security-layout.tsx';
import { SamlLoginForm } from './security-saml-login-form.tsx';
import { SignInFailures } from './security-sign-in-failures.tsx';

/**
 * Organization › Settings › Security › Logins: the SAML login, its recent sign-in failures and
 * the portal as a service provider.
 */
export function SecurityLoginsPage() {
  return (
    <SecurityLayout title="Logins">
      <LoginsBody />
    </SecurityLayout>
  );
}

function LoginsBody() {
  const login = useAsync(getSamlLogin, []);
  const [editing, setEditing] = useState<'new' | 'edit' | null>(null);
  const [status, setStatus] = useState('');
  const remove = useAction();

  function done(message: string) {
    setEditing(null);
    setStatus(message);
    login.reload();
  }

  const l = login.data;
  return (
    <div className="stack">
      <section className="panel" aria-labelledby="saml-heading">
        <h2 id="saml-heading">SAML login</h2>
        <StatusMessage>{status}</StatusMessage>
        <ErrorAlert error={login.error ?? remove.error} />
        {login.loading && !l && <Loading />}
        {!login.loading && !l && !editing && (
          <>
            <p>No SAML login: members sign in with portal accounts only.</p>
            <div className="actions">
              <button type="button" onClick={() => setEditing('new')}>
                New SAML login
              </button>
            </div>
          </>
        )}
        {l && editing !== 'edit' && <LoginSummary login={l} />}
        {l && !editing && (
          <div className="actions">
            <button type="button" onClick={() => setEditing('edit')}>
              Edit
            </button>
            <ConfirmButton
              label="Delete login"
              question={`Delete the SAML login ${l.name}? Its members can no longer sign in with it.`}
              confirmLabel="Delete login"
              onConfirm={async () => {
                await remove.run(async () => {
                  await unregisterLogin(l);
                  done(`Deleted the SAML login ${l.name}.`);
                });
              }}
            />
          </div>
        )}
        {editing && (
          <SamlLoginForm
            login={editing === 'edit' ? (l ?? undefined) : undefined}
            onDone={done}
            onCancel={() => setEditing(null)}
          />
        )}
      </section>
      {l?.kind === 'federation' && l.federationId && <FederationStatus federationId={l.federationId} />}
      <SignInFailures />
      <ServiceProvider entityId={l?.entityId} />
    </div>
  );
}

function LoginSummary({ login }: { login: SamlLogin }) {
  const rows: [string, string][] = [
    ['Name', login.name],
    ['Type', login.kind === 'idp' ? 'One identity provider' : 'A federation of identity providers'],
  ];
  if (login.kind === 'idp') {
    rows.push(['Identity provider', login.idpEntityId ?? '(any issuer signed with its certificate)']);
    const sso = login.bindingUrl ?? login.postBindingUrl;
    if (sso) rows.push(['Sign-in URL', sso]);
    if (login.idpMetadataUrl) rows.push(['Metadata URL', login.idpMetadataUrl]);
    if (login.idpMetadataFile) rows.push(['Metadata file', login.idpMetadataFile]);
    for (const c of login.signingCertificates)
      rows.push(['Signing certificate', `${c.subject}, until ${new Date(c.notAfter).toLocaleDateString()}`]);
  } else {
    if (login.metadataServiceUrl) rows.push(['Federation metadata', login.metadataServiceUrl]);
    if (login.mdqUrl) rows.push(['MDQ service', login.mdqUrl]);
    if (login.discoveryServiceUrl) rows.push(['Discovery service', login.discoveryServiceUrl]);
  }
  rows.push(['Members join', login.signUpMode === 'Automatic' ? 'Automatically' : 'Upon invitation']);
  rows.push(['Service provider entity ID', login.entityId]);
  const flags = [
    login.encryptionSupported && 'encrypted assertions',
    login.supportSignedRequest && 'signed requests',
    login.supportsLogoutRequest && 'logout propagated',
    login.updateProfileAtSignin && 'profiles updated at sign-in',
  ].filter(Boolean);
  if (flags.length) rows.push(['Options', flags.join(', ')]);
  return (
    <dl className="details">
      {rows.map(([k, v]) => (
        <div key={`${k}:${v}`}>
          <dt>{k}</dt>
          <dd className="wrap">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ServiceProvider({ entityId }: { entityId: string | undefined }) {
  const keys = useAsync(getSpKeys, []);
  const metadata = useAsync(getSpMetadata, [keys.data, entityId]);
  const action = useAction();
  const k = keys.data;
  const next = k?.keys.some((key) => key.state === 'next');
  return (
    <section className="panel" aria-labelledby="sp-heading">
      <h2 id="sp-heading">Service provider</h2>
      <p>Give this metadata to the identity provider (or the federation) so that it trusts the portal.</p>
      <ErrorAlert error={keys.error ?? metadata.error ?? action.error} />
      <div className="actions">
        {metadata.data && (
          <TextDownloadLink
            text={metadata.data}
            filename="sp-metadata.xml"
            type="application/samlmetadata+xml"
          >
            Download service provider metadata
          </TextDownloadLink>
        )}
      </div>
      {k && (
        <>
          <table className="table">
            <caption className="visually-hidden">Service provider keys</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">State</th>
                <th scope="col">Expires</th>
                <th scope="col">SHA-256 fingerprint</th>
              </tr>
            </thead>
            <tbody>
              {k.keys.map((key) => (
                <tr key={key.alias}>
                  <th scope="row">{key.alias}</th>
                  <td>{key.state === 'active' ? 'Active (signs)' : 'Next (published)'}</td>
                  <td>{new Date(key.notAfter).toLocaleDateString()}</td>
                  <td className="fingerprint">{key.sha256}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{k.rollover}</p>
          <div className="actions">
            {!next && (
              <button
                type="button"
                disabled={action.busy}
                onClick={() =>
                  action.run(async () => {
                    await addSpKey();
                    keys.reload();
                  })
                }
              >
                Add next key
              </button>
            )}
            {next && (
              <ConfirmButton
                label="Retire old key"
                question="Has the identity provider loaded the new metadata? Responses encrypted for the old key will fail."
                confirmLabel="Retire old key"
                onConfirm={async () => {
                  await action.run(async () => {
                    await retireSpKey();
                    keys.reload();
                  });
                }}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}
