import { type FormEvent, useState } from 'react';
import {
  type GroupLinkSettings,
  removePortalGroupLink,
  SHARE_AS_OPTIONS,
  UNSHARED_COPIES_OPTIONS,
  updatePortalGroupLink,
} from '../api/collaboration-sync.ts';
import type { Workspace } from '../api/collaborations.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { GroupSelect } from '../components/group-select.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { useAction } from '../lib/use-action.ts';

const DEFAULTS: GroupLinkSettings = {
  enableRealtimeSync: false,
  copyFeatureServiceData: false,
  copyByRefIfCopyFail: true,
  shareItemsAs: 'copy',
  unsharedCopies: 'keep',
};

interface CollaborationGroupLinkProps {
  collaborationId: string;
  workspace: Workspace;
  onChanged(message: string): void;
  onClose(): void;
}

/**
 * The group of this portal linked to a workspace, and how it syncs (updatePortalGroupLink):
 * each side links its own group. Unlink stops sending and receiving its items.
 */
export function CollaborationGroupLink({
  collaborationId,
  workspace,
  onChanged,
  onClose,
}: CollaborationGroupLinkProps) {
  const [groupId, setGroupId] = useState(workspace.portalGroupId ?? '');
  const [link, setLink] = useState<GroupLinkSettings>(workspace.portalGroupLink ?? DEFAULTS);
  const { busy, error, run } = useAction();
  const set = <K extends keyof GroupLinkSettings>(k: K, v: GroupLinkSettings[K]) =>
    setLink({ ...link, [k]: v });
  const heading = `Group link of ${workspace.name}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await updatePortalGroupLink(collaborationId, workspace.id, { portalGroupId: groupId, ...link });
      onChanged(`Saved the group link of ${workspace.name}.`);
    });
  }

  const check = (
    k: 'enableRealtimeSync' | 'copyFeatureServiceData' | 'copyByRefIfCopyFail',
    label: string,
  ) => (
    <label className="check wide">
      <input type="checkbox" checked={link[k]} onChange={(e) => set(k, e.target.checked)} />
      {label}
    </label>
  );

  return (
    <form className="stack form-grid" onSubmit={submit} aria-label={heading}>
      <h3 className="wide">{heading}</h3>
      <GroupSelect label="Group of this portal" required value={groupId} onChange={setGroupId} />
      <Field label="Send the group's items as">
        {(id) => (
          <select id={id} value={link.shareItemsAs} onChange={(e) => set('shareItemsAs', e.target.value)}>
            {SHARE_AS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="A received copy whose origin is unshared or deleted">
        {(id) => (
          <select id={id} value={link.unsharedCopies} onChange={(e) => set('unsharedCopies', e.target.value)}>
            {UNSHARED_COPIES_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {check('enableRealtimeSync', 'Sync in real time (changes travel as they happen)')}
      {check(
        'copyFeatureServiceData',
        "Copy feature services with their data (sent as copies: a service of this portal's servers goes with its features, published on the partner's hosting server)",
      )}
      {check(
        'copyByRefIfCopyFail',
        'If the partner cannot make such a copy (no hosting server, publishing fails), it gets a reference instead of a failure in its sync history',
      )}
      <ErrorAlert error={error} />
      <SubmitOrCancel submit={busy ? 'Saving…' : 'Save link'} disabled={busy} onCancel={onClose} />
      {workspace.portalGroupId && (
        <div className="actions wide">
          <ConfirmButton
            label="Unlink group"
            ariaLabel={`Unlink the group of ${workspace.name}`}
            question="Unlink the group? Its items are no longer sent, and nothing more is received into it."
            confirmLabel="Unlink"
            onConfirm={async () => {
              await run(async () => {
                await removePortalGroupLink(collaborationId, workspace.id);
                onChanged(`Unlinked the group of ${workspace.name}.`);
              });
            }}
          />
        </div>
      )}
    </form>
  );
}
