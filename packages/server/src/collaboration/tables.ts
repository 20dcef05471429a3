/**
 * The collaboration module's tables. A collaboration and its workspaces keep the host's ids on
 * every participant (the same paths name them on both sides); `role` says whether this portal
 * hosts it or is a guest of it.
 */
export interface CollaborationsTable {
  id: string;
  name: string;
  description: string;
  /** 'host' | 'guest': this portal's part in it. */
  role: string;
  host_portal_id: string;
  /** The host's origin, https://host[:port]. */
  host_url: string;
  /** The host's contact, JSON {firstname, lastname, email}. */
  host_contact: string;
  /** On a guest: its own contact given when it accepted (JSON), sent in its response; '{}' on the host. */
  own_contact: string;
  /** Client configuration, as given (JSON text or ''). */
  config: string;
  created_by: string;
  created: number;
  modified: number;
}

export interface CollaborationWorkspacesTable {
  id: string;
  collaboration_id: string;
  name: string;
  description: string;
  /** This portal's group linked to the workspace (null: none linked yet). */
  portal_group_id: string | null;
  config: string;
  created: number;
  modified: number;
}

/** An invitation the host made: the file carries the secret, the row only its SHA-256. */
export interface CollaborationInvitationsTable {
  id: string;
  collaboration_id: string;
  /** The guest's origin, lower-case. */
  guest_url: string;
  /** JSON {"<workspace id>": "send" | "receive" | "sendAndReceive"}. */
  access: string;
  expires: number;
  /** SHA-256 (hex) of the one-time secret. */
  secret_hash: string;
  /** pending | accepted | completed | invalidated */
  state: string;
  /** Set when a guest accepted it. */
  guest_portal_id: string | null;
  created_by: string;
  created: number;
  modified: number;
}

/** A partner portal in a collaboration, as this portal knows it (id: the partner's portal id). */
export interface CollaborationParticipantsTable {
  collaboration_id: string;
  portal_id: string;
  /** host | guest: the partner's part. */
  role: string;
  url: string;
  name: string;
  /** The partner's collaboration public key (Ed25519, SPKI DER, base64). */
  public_key: string;
  /** SHA-256 of the certificate trusted for it (its CA, or its own when it has none). */
  cert_fingerprint: string;
  /** The trust-store entry this exchange added (null when the partner was trusted already). */
  trust_alias: string | null;
  /** JSON {"<workspace id>": access mode}: what the guest may do in each workspace. */
  access: string;
  /** JSON {firstname, lastname, email}. */
  contact: string;
  /** active | removed */
  state: string;
  /** The invitation it came from. */
  invitation_id: string;
  created: number;
  modified: number;
}

/** This portal's collaboration signing key (one row, id 'self'). */
export interface CollaborationKeysTable {
  id: string;
  /** Ed25519 public key, SPKI DER, base64. */
  public_key: string;
  /** PKCS#8 DER, base64, sealed with the secrets box. */
  private_sealed: string;
  created: number;
}

/** Nonces of partner calls seen recently: a replay is refused on every node. */
export interface CollaborationNoncesTable {
  /** "<portal id>:<nonce>". */
  id: string;
  expires: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    collaborations: CollaborationsTable;
    collaboration_workspaces: CollaborationWorkspacesTable;
    collaboration_invitations: CollaborationInvitationsTable;
    collaboration_participants: CollaborationParticipantsTable;
    collaboration_keys: CollaborationKeysTable;
    collaboration_nonces: CollaborationNoncesTable;
  }
}
