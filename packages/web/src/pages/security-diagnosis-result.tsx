import type { Diagnosis } from '../api/security.ts';
import { formatDay } from '../lib/certificate-format.ts';

/** A diagnosis in plain words: what is wrong, how to fix it, and what the site presented. */
export function SecurityDiagnosisResult({ diagnosis }: { diagnosis: Diagnosis }) {
  const where = diagnosis.port ? `${diagnosis.host}:${diagnosis.port}` : diagnosis.host;
  return (
    <section
      className={`diagnosis ${diagnosis.ok ? 'diagnosis-ok' : 'diagnosis-problem'}`}
      aria-labelledby="diagnosis-heading"
      data-testid="diagnosis-result"
    >
      <h3 id="diagnosis-heading">
        {diagnosis.ok ? 'OK' : 'Problem found'}
        {where && ` — ${where}`}
      </h3>
      <p data-testid="diagnosis-message">{diagnosis.message}</p>
      {!diagnosis.ok && diagnosis.fix && (
        <p data-testid="diagnosis-fix">
          <strong>How to fix it: </strong>
          {diagnosis.fix}
        </p>
      )}
      {diagnosis.code && <p className="hint">Code: {diagnosis.code}</p>}
      {diagnosis.presentedChain.length > 0 && (
        <>
          <h4>Certificates the site presented</h4>
          <ol className="chain">
            {diagnosis.presentedChain.map((c) => (
              <li key={c.sha256Fingerprint || c.subject}>
                <div>
                  <strong>Subject:</strong> {c.subject}
                </div>
                <div>
                  <strong>Issuer:</strong> {c.issuer}
                </div>
                <div>
                  <strong>Valid until:</strong> {formatDay(c.validUntil)}
                </div>
                <div>
                  <strong>SHA-256:</strong> <code className="fingerprint">{c.sha256Fingerprint}</code>
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
