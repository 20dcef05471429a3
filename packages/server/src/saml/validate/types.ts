/**
 * What the SAML response validation works with, and what it yields. The IdP lookup and the
 * request store are implemented elsewhere (the logins registry, the federations module, the
 * AuthnRequest sender); the validation only reads them through these interfaces.
 */

/** The signatures an IdP's responses must carry. */
export type SignedPart = 'assertion' | 'response' | 'both';

/** An IdP as the portal trusts it: everything here comes from verified metadata or the login's settings. */
export interface TrustedIdp {
  entityId: string;
  /** X.509 certificates (PEM) from the IdP's verified metadata (use="signing" or no use). Nothing else verifies its messages. */
  signingCertificates: readonly string[];
  /** RSA-SHA1 signatures and SHA-1 digests are refused unless the login is configured for them. */
  allowSha1: boolean;
  /** Which signatures are required (default for a login: the assertion). */
  requireSigned: SignedPart;
  /** The SP's private keys (PEM) for encrypted assertions: one, or two during a key rollover. */
  decryptionKeys: readonly string[];
  /**
   * Responses that answer no request (IdP-initiated sign-in) are accepted from this IdP: only
   * for a login that enables it (off by default). Every other check still applies.
   */
  allowUnsolicited?: boolean;
}

/** Finds the IdP a response names as its Issuer; undefined when the portal does not trust it. */
export interface IdpLookup {
  byEntityId(entityId: string): Promise<TrustedIdp | undefined>;
}

/** This portal as a service provider. */
export interface ServiceProvider {
  /** The SP entity ID: the one audience accepted. */
  entityId: string;
  /** The assertion consumer service URLs: Destination and Recipient must be one of them. */
  acsUrls: readonly string[];
}

/** An AuthnRequest this portal sent, as the request store returns it when a response answers it. */
export interface SentRequest {
  id: string;
  /** The SAML login (registry id) it was sent for. */
  login: string;
  /** The OAuth authorization (oauth_state) the sign-in finishes. */
  oauthTransactionId: string;
  /** The IdP it was sent to, when known (a federation's IdP chosen at discovery). */
  idpEntityId: string | null;
  /** No request: an IdP-initiated response, accepted because the IdP's login allows them (id, login, oauthTransactionId are ''). */
  unsolicited?: true;
}

/** Why a response's InResponseTo is not accepted. */
export type ConsumeRefusal = 'unknown' | 'reused' | 'expired';

/** The AuthnRequests this portal sent (saml_requests): each answers one response, once. */
export interface RequestLookup {
  /** Marks the request answered, atomically across nodes; the refusal when it cannot be. */
  consume(id: string, now: number): Promise<SentRequest | ConsumeRefusal>;
}

/** The assertion IDs seen (saml_replay), each until its assertion expires. */
export interface ReplayCache {
  /** Records the ID; false when it was already recorded (a replay). Atomic across nodes. */
  remember(idpEntityId: string, assertionId: string, expires: number, now: number): Promise<boolean>;
}

/** Everything a validation depends on besides the message. */
export interface ValidationEnv {
  idps: IdpLookup;
  sp: ServiceProvider;
  clock: { now(): number };
  /** Allowed clock difference with the IdP for NotBefore / NotOnOrAfter (default 180). */
  skewSeconds?: number;
  /** saml.maxResponseBytes (default 256 KiB). */
  maxResponseBytes?: number;
  requests: RequestLookup;
  replay: ReplayCache;
}

/** A verified assertion: every value comes from signed content. */
export interface VerifiedAssertion {
  idpEntityId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  attributes: Record<string, string[]>;
  /** Epoch ms: the earliest NotOnOrAfter of the conditions and the bearer confirmation. */
  notOnOrAfter: number;
  /** Epoch ms, null when the assertion has no AuthnStatement. */
  authnInstant: number | null;
  inResponseTo: string;
}
