import { useState } from 'react';
import type { CertificateSource } from '../api/security.ts';
import { Field } from './field.tsx';

interface CertificateSourceFieldsProps {
  fileLabel?: string;
  pemLabel?: string;
  accept?: string;
  /** Reset the fields by giving the component a new `key`. */
  onChange(source: CertificateSource): void;
}

/** A certificate as a file, or as PEM text pasted in (one of the two). */
export function CertificateSourceFields({
  fileLabel = 'Certificate file',
  pemLabel = 'Or paste the PEM text',
  accept = '.pem,.crt,.cer,.der,.p7b,.p7c',
  onChange,
}: CertificateSourceFieldsProps) {
  const [file, setFile] = useState<File | null>(null);
  const [pem, setPem] = useState('');

  return (
    <>
      <Field label={fileLabel}>
        {(id) => (
          <input
            id={id}
            type="file"
            accept={accept}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              onChange({ file: f, pem });
            }}
          />
        )}
      </Field>
      <Field label={pemLabel}>
        {(id) => (
          <textarea
            id={id}
            className="pem"
            rows={5}
            spellCheck={false}
            placeholder="-----BEGIN CERTIFICATE-----"
            value={pem}
            onChange={(e) => {
              setPem(e.target.value);
              onChange({ file, pem: e.target.value });
            }}
          />
        )}
      </Field>
    </>
  );
}
