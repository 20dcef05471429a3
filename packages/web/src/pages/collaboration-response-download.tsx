import { exportInvitationResponse } from '../api/collaboration-exchange.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { saveTextFile } from '../lib/save-file.ts';
import { useAction } from '../lib/use-action.ts';

/** A guest's "Download response file": the signed response the host imports (exportInvitationResponse). */
export function CollaborationResponseDownload({ collaborationId }: { collaborationId: string }) {
  const action = useAction();
  return (
    <div className="stack">
      <ErrorAlert error={action.error} />
      <div className="actions">
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              const file = await exportInvitationResponse(collaborationId);
              saveTextFile(file.filename, file.text);
            })
          }
        >
          Download response file
        </button>
      </div>
    </div>
  );
}
