/**
 * Sync on the guest (the participant that initiates it): workspaces/<id>/sync (a job),
 * configSync, syncStatus, and the schedule (schedule, schedule/update, pause, resume, delete).
 * On the host these are refused with collaboration.not_sync_initiator.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { Success } from '../../http/schemas.ts';
import type { CollaborationContext } from '../context.ts';
import { readSchedule, removeSchedule, setScheduleState, updateScheduleOf } from '../schedule.ts';
import { configSync, startSync, syncStatus, waitForRun } from '../sync-service.ts';
import { C, checkPortal, param, TAGS } from './portal-path.ts';

const W = `${C}/workspaces/:wid`;
const Open = Type.Record(Type.String(), Type.Unknown());
const ScheduleJson = Type.Object({ schedule: Type.Union([Open, Type.Null()]) });

export function registerSyncRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  const base = { auth: 'admin' as const, tags: TAGS };
  const read = { ...base, method: ['GET', 'POST'] as ('GET' | 'POST')[] };
  const post = { ...base, method: 'POST' as const };
  const ids = (req: Parameters<typeof param>[0]) => [param(req, 'cid'), param(req, 'wid')] as const;

  route(app, {
    ...post,
    url: `${W}/sync`,
    summary:
      "Syncs the workspace now (guest only): the host's changes pulled, this portal's pushed, as a job. async=true answers at once with the job; otherwise when the run has ended (at most 10 minutes).",
    params: Type.Object({ async: Type.Optional(Type.Boolean()) }),
    response: Success({ jobId: Type.String(), key: Type.String(), status: Type.Optional(Type.String()) }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const r = await startSync(ctx, ...ids(req), 'manual');
      const out = { success: true as const, jobId: r.jobId, key: r.syncId };
      if (args.async !== false) return out;
      const run = await waitForRun(ctx, r.syncId, 600_000);
      return { ...out, ...(run ? { status: run.status } : {}) };
    },
  });

  route(app, {
    ...read,
    url: `${W}/configSync`,
    summary:
      'How this guest syncs the workspace: its linked group, access mode, the host and the link settings.',
    response: Success(
      Object.fromEntries(
        [
          'workspaceId',
          'portalGroupId',
          'accessMode',
          'hostPortalUrl',
          'partnerState',
          'enableRealtimeSync',
          'copyFeatureServiceData',
          'copyByRefIfCopyFail',
          'shareItemsAs',
          'unsharedCopies',
        ].map((k) => [k, Type.Unknown()]),
      ),
    ),
    handler: async (req) => {
      await checkPortal(ctx, req);
      return configSync(ctx, ...ids(req));
    },
  });

  route(app, {
    ...read,
    url: `${W}/syncStatus`,
    summary:
      "The workspace's sync runs, newest first ({status:[{syncId, syncExecType, startTime, endTime, status, summary}]}); with syncId, that run with its history (what moved, errors with their diagnosis, overwritten versions).",
    params: Type.Object({ syncId: Type.Optional(Type.String({ maxLength: 64 })) }),
    response: Type.Object({ status: Type.Array(Open) }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      return syncStatus(ctx, ...ids(req), args.syncId);
    },
  });

  route(app, {
    ...read,
    url: `${W}/schedule`,
    summary: "The workspace's sync schedule (null: none).",
    response: ScheduleJson,
    handler: async (req) => {
      await checkPortal(ctx, req);
      return readSchedule(ctx, ...ids(req));
    },
  });

  route(app, {
    ...post,
    url: `${W}/schedule/update`,
    summary:
      'Sets the sync schedule: startTime (epoch ms, default now), interval (whole hours, default 24), repeatCount (runs after the first; -1 for ever).',
    params: Type.Object({
      startTime: Type.Optional(Type.Number()),
      interval: Type.Optional(Type.Number()),
      repeatCount: Type.Optional(Type.Number()),
    }),
    response: Success({ schedule: Type.Union([Open, Type.Null()]) }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      return { success: true as const, ...(await updateScheduleOf(ctx, ...ids(req), args)) };
    },
  });

  for (const [name, state] of [
    ['pause', 'paused'],
    ['resume', 'active'],
  ] as const)
    route(app, {
      ...post,
      url: `${W}/schedule/${name}`,
      summary: name === 'pause' ? 'Pauses the sync schedule.' : 'Resumes the sync schedule.',
      response: Success({ schedule: Type.Union([Open, Type.Null()]) }),
      handler: async (req) => {
        await checkPortal(ctx, req);
        return { success: true as const, ...(await setScheduleState(ctx, ...ids(req), state)) };
      },
    });

  route(app, {
    ...post,
    url: `${W}/schedule/delete`,
    summary: 'Deletes the sync schedule.',
    response: Success({}),
    handler: async (req) => {
      await checkPortal(ctx, req);
      await removeSchedule(ctx, ...ids(req));
      return { success: true as const };
    },
  });
}
