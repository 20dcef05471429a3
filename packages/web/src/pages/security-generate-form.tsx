import { type FormEvent, useState } from 'react';
import { generateCertificate, type NewCertificate } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { useAction } from '../lib/use-action.ts';

const KEY_SIZES = { RSA: [2048, 3072, 4096], EC: [256, 384] } as const;

const EMPTY: NewCertificate = {
  alias: '',
  cn: '',
  org: '',
  orgUnit: '',
  city: '',
  state: '',
  country: '',
  san: '',
  keyAlg: 'RSA',
  keySize: 2048,
  validity: 365,
  signedBy: 'portalCA',
};

type TextKey = 'alias' | 'cn' | 'org' | 'orgUnit' | 'city' | 'state' | 'country' | 'san';

const TEXT_FIELDS: { key: TextKey; label: string; required?: boolean; hint?: string }[] = [
  { key: 'alias', label: 'Alias', required: true },
  {
    key: 'cn',
    label: 'Common name',
    required: true,
    hint: 'The host name clients type, e.g. gis.example.com',
  },
  { key: 'org', label: 'Organization' },
  { key: 'orgUnit', label: 'Organizational unit' },
  { key: 'city', label: 'City' },
  { key: 'state', label: 'State or province' },
  { key: 'country', label: 'Country (two-letter code)', hint: 'e.g. US, DE, FR' },
  { key: 'san', label: 'Subject alternative names', hint: 'Comma-separated host names and IP addresses' },
];

export function SecurityGenerateForm({ onGenerated }: { onGenerated(alias: string): void }) {
  const [cert, setCert] = useState<NewCertificate>(EMPTY);
  const { busy, error, run } = useAction();

  function set<K extends keyof NewCertificate>(key: K, value: NewCertificate[K]) {
    setCert((c) => ({ ...c, [key]: value }));
  }

  function setKeyAlg(keyAlg: NewCertificate['keyAlg']) {
    setCert((c) => ({ ...c, keyAlg, keySize: KEY_SIZES[keyAlg][0] }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const answer = await generateCertificate({ ...cert, alias: cert.alias.trim(), cn: cert.cn.trim() });
      onGenerated(answer.alias || cert.alias.trim());
      setCert(EMPTY);
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="generate-heading">
      <h2 id="generate-heading">Generate a certificate</h2>
      {TEXT_FIELDS.map((f) => (
        <Field key={f.key} label={f.label}>
          {(id) => (
            <>
              <input
                id={id}
                name={f.key}
                required={f.required}
                autoComplete="off"
                aria-describedby={f.hint ? `${id}-hint` : undefined}
                value={cert[f.key]}
                onChange={(e) => set(f.key, e.target.value)}
              />
              {f.hint && (
                <span id={`${id}-hint`} className="hint">
                  {f.hint}
                </span>
              )}
            </>
          )}
        </Field>
      ))}
      <Field label="Key algorithm">
        {(id) => (
          <select
            id={id}
            value={cert.keyAlg}
            onChange={(e) => setKeyAlg(e.target.value as NewCertificate['keyAlg'])}
          >
            <option value="RSA">RSA</option>
            <option value="EC">EC (elliptic curve)</option>
          </select>
        )}
      </Field>
      <Field label="Key size">
        {(id) => (
          <select id={id} value={cert.keySize} onChange={(e) => set('keySize', Number(e.target.value))}>
            {KEY_SIZES[cert.keyAlg].map((n) => (
              <option key={n} value={n}>
                {cert.keyAlg === 'EC' ? `P-${n}` : `${n} bits`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Validity (days)">
        {(id) => (
          <input
            id={id}
            type="number"
            min={1}
            max={36500}
            required
            value={cert.validity}
            onChange={(e) => set('validity', Number(e.target.value))}
          />
        )}
      </Field>
      <Field label="Signed by">
        {(id) => (
          <select
            id={id}
            value={cert.signedBy}
            onChange={(e) => set('signedBy', e.target.value as NewCertificate['signedBy'])}
          >
            <option value="portalCA">Portal CA</option>
            <option value="self">Self-signed</option>
          </select>
        )}
      </Field>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Generate certificate
        </button>
      </div>
    </form>
  );
}
