import type { X509Certificate } from 'node:crypto';
import { catalogue, MeridianError } from '../../kernel/errors/meridian-error.ts';
import { describeCertificate } from '../describe-certificate.ts';
import type { TrustFinding } from '../verify/trust-finding.ts';
import type { ConnectionCode } from './classify-error.ts';
import './errors.ts';

export type DiagnosisCode = 'ok' | ConnectionCode | 'outbound.address_denied' | 'outbound.invalid_url';

export interface PresentedCertificate {
  subject: string;
  issuer: string;
  sha256Fingerprint: string;
  validFrom: number;
  validUntil: number;
  subjectAlternativeNames: string[];
  isCA: boolean;
  pem: string;
}

export interface DiagnosisStep {
  name:
    | 'resolve'
    | 'connect'
    | 'capture_chain'
    | 'check_validity'
    | 'check_chain'
    | 'check_host'
    | 'check_key_usage';
  ok: boolean;
  ms: number;
}

/** One thing wrong with the connection, with its own fix. */
export interface DiagnosisProblem {
  code: Exclude<DiagnosisCode, 'ok'>;
  message: string;
  fix: string;
}

export interface DiagnosisReport {
  ok: boolean;
  /** The code of the first problem ('ok' when there is none). */
  code: DiagnosisCode;
  /** What is wrong, in plain words, naming certificates, dates and names: every problem. */
  message: string;
  /** The exact fix of every problem (empty when ok). */
  fix: string;
  /**
   * Every problem found, in the order of the steps. A failed connection is one problem; the
   * certificate checks all run, so a chain both untrusted and issued for another name lists both.
   */
  problems: DiagnosisProblem[];
  host: string;
  port: number;
  /** The address resolved and allowed by the deny-list (connected to only if the connect step passed). */
  address?: string;
  protocol?: string;
  cipher?: string;
  presentedChain: PresentedCertificate[];
  /**
   * The certificate to trust once the administrator has confirmed its fingerprint: present only
   * when trusting it would, by itself, make the connection succeed.
   */
  suggestedTrust?: { pem: string; sha256Fingerprint: string; subject: string };
  /** For an incomplete chain or an unknown root that was not sent: who is missing. */
  missingIssuer?: { subject: string; caIssuersUrls: string[] };
  /** For a host name mismatch: the names the certificate carries. */
  certificateNames?: string[];
  warnings: string[];
  steps: DiagnosisStep[];
  checkedAt: number;
}

export function presented(cert: X509Certificate): PresentedCertificate {
  const d = describeCertificate(cert);
  return {
    subject: d.subject,
    issuer: d.issuer,
    sha256Fingerprint: d.sha256Fingerprint,
    validFrom: d.validFrom,
    validUntil: d.validUntil,
    subjectAlternativeNames: d.subjectAlternativeNames,
    isCA: d.isCA,
    pem: cert.toString(),
  };
}

export function problemOf(f: TrustFinding): DiagnosisProblem {
  return { code: f.code, message: f.message, fix: catalogue.get(f.code)?.fix ?? '' };
}

/** True when the TCP and TLS connection was made (the connect step passed). */
export function connected(report: Pick<DiagnosisReport, 'steps'>): boolean {
  return report.steps.some((s) => s.name === 'connect' && s.ok);
}

export function suggested(cert: X509Certificate): NonNullable<DiagnosisReport['suggestedTrust']> {
  return {
    pem: cert.toString(),
    sha256Fingerprint: cert.fingerprint256,
    subject: describeCertificate(cert).subject,
  };
}

/** A failed diagnosis as the error routes and the outbound client throw; the report rides along in data. */
export function diagnosisError(report: DiagnosisReport): MeridianError {
  const spec = catalogue.get(report.code);
  if (!spec) throw new Error(`diagnosisError: ${report.code} is not a failure`);
  const { presentedChain, ...rest } = report;
  return new MeridianError(spec, `${report.message} ${report.fix}`.trim(), {
    data: {
      diagnosis: {
        ...rest,
        // PEMs stay in the report for the UI to offer "trust this"; keys never appear in one.
        presentedChain,
      },
    },
  });
}
