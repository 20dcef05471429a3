/**
 * How a collaboration's workspaces sync: each side's group link and its settings, the host's
 * access modes per guest, each side's item delete policy; on the guest (which initiates sync)
 * Sync now, the runs with their history, and the schedule.
 */
import { request } from './client.ts';
import { collaborationPath, type Workspace } from './collaborations.ts';

const enc = encodeURIComponent;
const workspacePath = (cid: string, wid: string, resource: string) =>
  collaborationPath(cid, `workspaces/${enc(wid)}/${resource}`);

/** A workspace link's settings, as the workspace JSON carries them. */
export type GroupLinkSettings = NonNullable<Workspace['portalGroupLink']>;

export const SHARE_AS_OPTIONS = [
  { value: 'copy', label: 'Copies (their data travels)' },
  { value: 'reference', label: 'References (pointing here)' },
] as const;

export const UNSHARED_COPIES_OPTIONS = [
  { value: 'keep', label: 'Keep it, marked no longer synced' },
  { value: 'delete', label: 'Delete it' },
] as const;

export async function updatePortalGroupLink(
  cid: string,
  wid: string,
  link: { portalGroupId: string } & GroupLinkSettings,
): Promise<Workspace> {
  const a = await request<{ workspace: Workspace }>(workspacePath(cid, wid, 'updatePortalGroupLink'), {
    method: 'POST',
    form: { ...link },
  });
  return a.workspace;
}

export async function removePortalGroupLink(cid: string, wid: string): Promise<Workspace> {
  const a = await request<{ workspace: Workspace }>(workspacePath(cid, wid, 'removePortalGroupLink'), {
    method: 'POST',
    form: {},
  });
  return a.workspace;
}

/** The host sets a guest's access mode per workspace; answers whether the guest was told. */
export async function updateParticipantAccessModes(
  cid: string,
  participantId: string,
  modes: Record<string, string>,
): Promise<{ accessModes: Record<string, string>; partnerTold: boolean }> {
  return request(collaborationPath(cid, `participants/${enc(participantId)}/updateParticipantAccessModes`), {
    method: 'POST',
    form: {
      collaborationWorkspacesAccessJSON: JSON.stringify(
        Object.entries(modes).map(([id, mode]) => ({ [id]: mode })),
      ),
    },
  });
}

export interface ItemDeletePolicy {
  /** Partners delete what this portal contributed when the partnership ends. */
  deleteContributedItems: boolean;
  /** This portal deletes what it received when the partnership ends. */
  deleteReceivedItems: boolean;
}

export function updateItemDeletePolicy(cid: string, policy: ItemDeletePolicy): Promise<ItemDeletePolicy> {
  return request<ItemDeletePolicy>(collaborationPath(cid, 'updateItemDeletePolicy'), {
    method: 'POST',
    form: { ...policy },
  });
}

/** Sync now (guest): the job that runs it and the run's id. */
export function syncNow(cid: string, wid: string): Promise<{ jobId: string; key: string }> {
  return request(workspacePath(cid, wid, 'sync'), { method: 'POST', form: { async: true } });
}

export const SYNC_STATUSES = [
  'submitted',
  'started',
  'in_progress',
  'failed',
  'completed_with_failures',
  'completed',
] as const;

/** One sync run as syncStatus lists it; `history` only when asked for that run. */
export interface SyncRun {
  syncId: string;
  syncExecType: string;
  startTime: number | null;
  endTime: number | null;
  status: string;
  summary: Record<string, number>;
  history?: SyncHistory;
}

/** What a run did: what moved, each error with its diagnosis, each version a concurrent edit overwrote. */
export interface SyncHistory {
  moved?: {
    direction: string;
    op: string;
    as?: string;
    originItemId: string;
    itemId?: string;
    title?: string;
    bytes?: number;
  }[];
  errors?: {
    code: string;
    message: string;
    originItemId?: string;
    /** For a refused certificate: the certificates work's diagnosis and its fix. */
    diagnosis?: { message?: string; fix?: string };
  }[];
  /** Copies that could not be made here and were kept as references instead, each with why. */
  fallbacks?: { code: string; message: string; originItemId?: string }[];
  overwritten?: {
    originItemId: string;
    itemId: string;
    kept: string;
    lost: { title: string; modified: number; from: string };
  }[];
}

/** The workspace's runs, newest first. */
export async function listSyncRuns(cid: string, wid: string): Promise<SyncRun[]> {
  const a = await request<{ status?: SyncRun[] }>(workspacePath(cid, wid, 'syncStatus'));
  return a.status ?? [];
}

/** One run with its history (null when there is no such run of the workspace). */
export async function getSyncRun(cid: string, wid: string, syncId: string): Promise<SyncRun | null> {
  const a = await request<{ status?: SyncRun[] }>(workspacePath(cid, wid, 'syncStatus'), {
    query: { syncId },
  });
  return a.status?.[0] ?? null;
}

export interface SyncSchedule {
  startTime: number;
  /** Whole hours between runs. */
  interval: number;
  /** Runs after the first; -1 for ever. */
  repeatCount: number;
  runs: number;
  nextRun: number;
  state: 'active' | 'paused' | string;
}

export async function getSchedule(cid: string, wid: string): Promise<SyncSchedule | null> {
  const a = await request<{ schedule: SyncSchedule | null }>(workspacePath(cid, wid, 'schedule'));
  return a.schedule;
}

export async function updateSchedule(
  cid: string,
  wid: string,
  schedule: { startTime: number; interval: number; repeatCount: number },
): Promise<SyncSchedule | null> {
  const a = await request<{ schedule: SyncSchedule | null }>(workspacePath(cid, wid, 'schedule/update'), {
    method: 'POST',
    form: { ...schedule },
  });
  return a.schedule;
}

/** pause, resume or delete the schedule. */
export async function changeSchedule(
  cid: string,
  wid: string,
  change: 'pause' | 'resume' | 'delete',
): Promise<void> {
  await request(workspacePath(cid, wid, `schedule/${change}`), { method: 'POST', form: {} });
}
