import { defineError } from '../errors/meridian-error.ts';

export const JobNotFound = defineError({
  code: 'jobs.not_found',
  status: 404,
  summary: 'There is no job with this id.',
  fix: 'List the jobs (GET portaladmin/jobs or `meridian jobs list`) for the ids that exist.',
});

export const JobUnknownKind = defineError({
  code: 'jobs.unknown_kind',
  status: 400,
  summary: 'No handler is registered for this kind of job on this node.',
  fix: 'Start one of the kinds this node registers; a kind exists only once the module that owns it is part of the role.',
});

export const JobAlreadyEnded = defineError({
  code: 'jobs.already_ended',
  status: 409,
  arcgisCode: 400,
  summary: 'The job has already ended; only a queued or running job can be cancelled.',
  fix: 'Nothing to cancel: read the job for its result or error, and start it again if needed.',
});

export const JobCancelled = defineError({
  code: 'jobs.cancelled',
  status: 400,
  summary: 'The job was cancelled by an administrator before it finished.',
  fix: 'Start the job again if its work is still wanted.',
});

export const JobInterrupted = defineError({
  code: 'jobs.interrupted',
  status: 500,
  summary:
    'The job was interrupted by a restart: the node running it stopped, and this kind of job cannot be resumed.',
  fix: 'Start the job again. Read the log of the node named in the job for why it stopped.',
});

export const JobFailed = defineError({
  code: 'jobs.failed',
  status: 500,
  summary: 'The job ended with an unexpected error.',
  fix: 'Read the log of the node named in the job for the detail, correct the cause, and start the job again.',
});
