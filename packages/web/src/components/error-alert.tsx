import { messageOf } from '../api/errors.ts';

/** Shows an error as text in an alert region; renders nothing when there is no error. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <div role="alert" className="alert" data-testid="error-alert">
      {messageOf(error)}
    </div>
  );
}
