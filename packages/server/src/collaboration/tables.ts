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
  /** updateItemDeletePolicy (0 | 1; migration 0034): partners delete what this portal contributed when it leaves. */
  delete_contributed?: number;
  /** 0 | 1: this portal deletes what it received when the partnership ends. */
  delete_received?: number;
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
  /** The group link's settings (migration 0034; defaults when absent). Real-time sync: 0 | 1. */
  realtime_sync?: number;
  /** copyFeatureServiceData: 0 | 1 (no hosting server to copy into yet: services go by reference). */
  copy_fs_data?: number;
  /** copyByRefIfCopyFail: 0 | 1. */
  copy_by_ref_if_fail?: number;
  /** How this portal sends the group's items: copy (metadata + data) | reference. */
  share_as?: string;
  /** What this portal does with a received copy when its origin is unshared or deleted: keep | delete. */
  unshared_copies?: string;
  /** The host's own access mode in the workspace (send | receive | sendAndReceive; migration 0035). Null on a guest; on the host null means sendAndReceive. */
  host_access?: string | null;
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
  /** On the host: JSON {"<workspace id>": {groupId, title}}, the groups the guest linked as its response named them (migration 0035). */
  linked_groups?: string;
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

/** What this portal applied of a participant's change feed in a workspace (the partner's seq). */
export interface CollaborationCursorsTable {
  collaboration_id: string;
  workspace_id: string;
  portal_id: string;
  seq: number;
  modified: number;
}

/** An item received from a partner: its origin, and the local item that holds it. */
export interface CollaborationReceivedTable {
  collaboration_id: string;
  origin_portal_id: string;
  origin_item_id: string;
  workspace_id: string;
  local_item_id: string;
  /** copy | reference */
  kind: string;
  /** The source's modified time of the version applied (last writer wins by it). */
  origin_modified: number;
  /** The local item's modified time right after it was applied (later: edited here). */
  applied_modified: number;
  data_sha256: string | null;
  /** synced | unsynced (its origin was unshared or deleted; the copy kept) */
  state: string;
  updated: number;
}

/** A sync run (its id is its job's), with what moved and each error. */
export interface CollaborationSyncRunsTable {
  id: string;
  collaboration_id: string;
  workspace_id: string;
  /** manual | scheduled | realtime */
  exec_type: string;
  /** submitted | started | in_progress | failed | completed_with_failures | completed */
  status: string;
  start_time: number | null;
  end_time: number | null;
  /** JSON counts. */
  summary: string;
  /** JSON {moved, errors, overwritten}. */
  history: string;
  created: number;
}

export interface CollaborationSchedulesTable {
  workspace_id: string;
  collaboration_id: string;
  start_time: number;
  interval_hours: number;
  /** -1: for ever. */
  repeat_count: number;
  runs: number;
  next_run: number;
  /** active | paused */
  state: string;
  modified: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    collaborations: CollaborationsTable;
    collaboration_workspaces: CollaborationWorkspacesTable;
    collaboration_invitations: CollaborationInvitationsTable;
    collaboration_participants: CollaborationParticipantsTable;
    collaboration_keys: CollaborationKeysTable;
    collaboration_nonces: CollaborationNoncesTable;
    collaboration_cursors: CollaborationCursorsTable;
    collaboration_received: CollaborationReceivedTable;
    collaboration_sync_runs: CollaborationSyncRunsTable;
    collaboration_schedules: CollaborationSchedulesTable;
  }
}
