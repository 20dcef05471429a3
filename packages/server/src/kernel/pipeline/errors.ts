import { defineError } from '../errors/meridian-error.ts';

export const TraceNotFound = defineError({
  code: 'traces.not_found',
  status: 404,
  summary:
    'There is no trace with this id: it never existed, or it was older than traces.keepDays and was deleted.',
  fix: 'List the traces (GET portaladmin/traces) for the ids that exist; raise traces.keepDays to keep traces longer.',
});
