import { type FormEvent, useState } from 'react';
import {
  type LoginFields,
  registerFederation,
  registerIdp,
  type SamlLogin,
  updateFederation,
  updateIdp,
} from '../api/saml.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

type Kind = 'idp' | 'federation';
type Source = 'url' | 'file' | 'fields';

interface SamlLoginFormProps {
  /** The login to edit; absent: a new one. */
  login?: SamlLogin | undefined;
  onDone(message: string): void;
  onCancel(): void;
}

/** "New SAML login" / "Edit SAML login": one identity provider or a federation, with the advanced settings. */
export function SamlLoginForm({ login, onDone, onCancel }: SamlLoginFormProps) {
  const idp = login?.kind === 'idp' ? login : undefined;
  const fed = login?.kind === 'federation' ? login : undefined;
  const [kind, setKind] = useState<Kind>(login?.kind ?? 'idp');
  const [name, setName] = useState(login?.name ?? '');
  const [source, setSource] = useState<Source>(
    idp ? (idp.idpMetadataUrl ? 'url' : idp.idpMetadataFile ? 'file' : 'fields') : 'url',
  );
  const [metadataUrl, setMetadataUrl] = useState(idp?.idpMetadataUrl ?? '');
  const [file, setFile] = useState<File | undefined>();
  const [bindingUrl, setBindingUrl] = useState(idp?.bindingUrl ?? '');
  const [postBindingUrl, setPostBindingUrl] = useState(idp?.postBindingUrl ?? '');
  const [idpEntityId, setIdpEntityId] = useState(idp?.idpEntityId ?? '');
  const [certificate, setCertificate] = useState(login?.certificate ?? '');
  const [metadataServiceUrl, setMetadataServiceUrl] = useState(fed?.metadataServiceUrl ?? '');
  const [mdqUrl, setMdqUrl] = useState(fed?.mdqUrl ?? '');
  const [discoveryServiceUrl, setDiscoveryServiceUrl] = useState(fed?.discoveryServiceUrl ?? '');
  const [signUpMode, setSignUpMode] = useState(login?.signUpMode ?? 'Automatic');
  const [roleId, setRoleId] = useState(login?.roleId ?? 'org_user');
  const [encryptionSupported, setEncryption] = useState(login?.encryptionSupported ?? false);
  const [supportSignedRequest, setSigned] = useState(login?.supportSignedRequest ?? false);
  const [supportsLogoutRequest, setLogout] = useState(login?.supportsLogoutRequest ?? false);
  const [logoutUrl, setLogoutUrl] = useState(login?.logoutUrl ?? '');
  const [updateProfileAtSignin, setUpdateProfile] = useState(login?.updateProfileAtSignin ?? true);
  const [entityId, setEntityId] = useState(login && !login.entityIdIsDefault ? login.entityId : '');
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fields: LoginFields = {
      name: name.trim(),
      signUpMode,
      roleId,
      encryptionSupported,
      supportSignedRequest,
      supportsLogoutRequest,
      logoutUrl: logoutUrl.trim(),
      updateProfileAtSignin,
      entityId: entityId.trim(),
    };
    let upload: File | undefined;
    if (kind === 'idp') {
      if (source === 'url') fields.idpMetadataUrl = metadataUrl.trim();
      else if (source === 'file') {
        if (!file && !idp) return setError(new Error('Choose the metadata file of the identity provider.'));
        upload = file;
      } else {
        fields.bindingUrl = bindingUrl.trim();
        fields.postBindingUrl = postBindingUrl.trim();
        fields.idpEntityId = idpEntityId.trim();
        if (certificate.trim() !== (idp?.certificate ?? '').trim() || !idp) fields.certificate = certificate;
      }
    } else {
      fields.metadataServiceUrl = metadataServiceUrl.trim();
      fields.mdqUrl = mdqUrl.trim();
      fields.discoveryServiceUrl = discoveryServiceUrl.trim();
      if (certificate.trim() !== (fed?.certificate ?? '').trim() || !fed) fields.certificate = certificate;
    }
    await run(async () => {
      if (kind === 'idp') {
        if (idp) await updateIdp(idp.id, fields, upload);
        else await registerIdp(fields, upload);
      } else if (fed) await updateFederation(fed.id, fields);
      else await registerFederation(fields);
      onDone(login ? `Saved the SAML login ${name.trim()}.` : `Registered the SAML login ${name.trim()}.`);
    });
  }

  return (
    <form className="stack form-grid form-panel" onSubmit={submit} aria-labelledby="saml-login-heading">
      <h2 id="saml-login-heading">{login ? 'Edit SAML login' : 'New SAML login'}</h2>
      {!login && (
        <fieldset className="wide">
          <legend>Type</legend>
          <label className="check">
            <input type="radio" name="kind" checked={kind === 'idp'} onChange={() => setKind('idp')} />
            One identity provider
          </label>
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={kind === 'federation'}
              onChange={() => setKind('federation')}
            />
            A federation of identity providers
          </label>
        </fieldset>
      )}
      <TextField
        label={kind === 'idp' ? 'Name (shown as “Using your NAME account”)' : 'Federation name'}
        className="wide"
        required
        value={name}
        onChange={setName}
      />
      {kind === 'idp' ? (
        <>
          <fieldset className="wide">
            <legend>Identity provider metadata</legend>
            {(
              [
                ['url', 'From a URL'],
                ['file', 'From a file'],
                ['fields', 'Entered here'],
              ] as const
            ).map(([value, label]) => (
              <label className="check" key={value}>
                <input
                  type="radio"
                  name="source"
                  checked={source === value}
                  onChange={() => setSource(value)}
                />
                {label}
              </label>
            ))}
          </fieldset>
          {source === 'url' && (
            <TextField
              label="Metadata URL"
              type="url"
              className="wide"
              required
              value={metadataUrl}
              onChange={setMetadataUrl}
            />
          )}
          {source === 'file' && (
            <Field label="Metadata file" className="wide">
              {(id) => (
                <input
                  id={id}
                  type="file"
                  accept=".xml,application/xml,text/xml"
                  onChange={(e) => setFile(e.target.files?.[0])}
                />
              )}
            </Field>
          )}
          {source === 'fields' && (
            <>
              <TextField
                label="Sign-in URL (HTTP-Redirect)"
                type="url"
                value={bindingUrl}
                onChange={setBindingUrl}
              />
              <TextField
                label="Sign-in URL (HTTP-POST)"
                type="url"
                value={postBindingUrl}
                onChange={setPostBindingUrl}
              />
              <TextField
                label="Identity provider entity ID"
                className="wide"
                value={idpEntityId}
                onChange={setIdpEntityId}
              />
              <TextAreaField
                label="Signing certificate (PEM or Base64)"
                className="wide"
                rows={5}
                required
                value={certificate}
                onChange={setCertificate}
              />
            </>
          )}
        </>
      ) : (
        <>
          <TextField
            label="Federation metadata URL"
            type="url"
            className="wide"
            required={!mdqUrl.trim()}
            value={metadataServiceUrl}
            onChange={setMetadataServiceUrl}
          />
          <TextField
            label="MDQ service URL (optional)"
            type="url"
            className="wide"
            aria-describedby="saml-mdq-hint"
            value={mdqUrl}
            onChange={setMdqUrl}
          />
          <p className="hint wide" id="saml-mdq-hint">
            An identity provider missing from the aggregate is looked up there (the Metadata Query Protocol).
            With an MDQ service, the federation metadata URL may be left empty.
          </p>
          <TextAreaField
            label="Certificate that signs the federation metadata (PEM or Base64)"
            className="wide"
            rows={5}
            required
            value={certificate}
            onChange={setCertificate}
          />
          <TextField
            label="Discovery service URL (optional)"
            type="url"
            className="wide"
            value={discoveryServiceUrl}
            onChange={setDiscoveryServiceUrl}
          />
        </>
      )}
      <fieldset className="wide">
        <legend>How members join</legend>
        <label className="check">
          <input
            type="radio"
            name="signUpMode"
            checked={signUpMode === 'Automatic'}
            onChange={() => setSignUpMode('Automatic')}
          />
          Automatically (an account is made at the first sign-in)
        </label>
        <label className="check">
          <input
            type="radio"
            name="signUpMode"
            checked={signUpMode === 'Invitation'}
            onChange={() => setSignUpMode('Invitation')}
          />
          Upon invitation from an administrator
        </label>
      </fieldset>
      <Field label="Role of new accounts">
        {(id) => (
          <select id={id} value={roleId} onChange={(e) => setRoleId(e.target.value)}>
            <option value="org_user">User</option>
            <option value="org_publisher">Publisher</option>
            <option value="org_admin">Administrator</option>
          </select>
        )}
      </Field>
      <details className="wide">
        <summary>Advanced settings</summary>
        <div className="stack">
          <label className="check">
            <input
              type="checkbox"
              checked={encryptionSupported}
              onChange={(e) => setEncryption(e.target.checked)}
            />
            Encrypt assertion
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={supportSignedRequest}
              onChange={(e) => setSigned(e.target.checked)}
            />
            Enable signed request
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={supportsLogoutRequest}
              onChange={(e) => setLogout(e.target.checked)}
            />
            Propagate logout to identity provider
          </label>
          {supportsLogoutRequest && (
            <TextField label="Logout URL" type="url" required value={logoutUrl} onChange={setLogoutUrl} />
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={updateProfileAtSignin}
              onChange={(e) => setUpdateProfile(e.target.checked)}
            />
            Update profiles on sign in
          </label>
          <TextField
            label="Entity ID (empty: the portal's default)"
            value={entityId}
            onChange={setEntityId}
            placeholder={login?.entityIdIsDefault ? login.entityId : ''}
          />
        </div>
      </details>
      <ErrorAlert error={error} />
      <SubmitOrCancel submit={login ? 'Save' : 'Register'} disabled={busy} onCancel={onCancel} />
    </form>
  );
}
