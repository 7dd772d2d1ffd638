import { useState } from 'react';
import type { PodListItem } from '../../../shared/types/pods.ts';
import type { ActionSummary } from '../containers/container-actions.ts';
import { actionLabels, actionNeedsConfirmation } from '../containers/container-actions.ts';
import { chunk } from '../containers/container-presenters.ts';
import { podActionOrder, podsForAction, summarizePodAction } from '../pods/pod-actions.ts';
import type { PodAction } from '../pods/pod-actions.ts';
import { useEngine } from '../query/use-engine.ts';
import { ActionIcon } from './ActionIcon.tsx';
import type { ActionIconName } from './ActionIcon.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';

const icons: Record<PodAction, ActionIconName> = { start: 'play', stop: 'stop', restart: 'restart', pause: 'pause', unpause: 'play', kill: 'kill' };

/**
 * The pod verbs for the pods given (the selection, or the one pod of the details panel): a button
 * each, enabled when it applies to one of them; it acts on those it applies to (pods.<verb>), the
 * others left alone. Kill asks first. `onResult` gets what happened, per pod.
 */
export function PodActionsBar({ pods, label, onResult }: { pods: readonly PodListItem[]; label: string; onResult: (summary: ActionSummary | { error: unknown }) => void }) {
  const { client } = useEngine();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<PodAction | null>(null);

  const run = async (action: PodAction) => {
    setConfirm(null);
    const targets = podsForAction(action, pods);
    if (targets.length === 0) return;
    const names = new Map(targets.map((p) => [p.id, p.name]));
    setBusy(true);
    try {
      const reports = [];
      for (const ids of chunk(targets.map((p) => p.id))) reports.push(...(await client.call(`pods.${action}`, { nameOrIds: ids })));
      onResult(summarizePodAction(action, reports, (id) => names.get(id) ?? id));
    } catch (error) {
      onResult({ error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pod-actions" role="toolbar" aria-label={label}>
      {podActionOrder.map((action) => (
        <button
          key={action}
          type="button"
          className={`button button-small${action === 'kill' ? ' button-danger-ghost' : ''}`}
          disabled={busy || podsForAction(action, pods).length === 0}
          title={action === 'unpause' ? 'Unpause' : undefined}
          onClick={() => (actionNeedsConfirmation(action) ? setConfirm(action) : void run(action))}
        >
          <ActionIcon name={icons[action]} size={13} />
          {actionLabels[action]}
        </button>
      ))}
      {confirm && (
        <ConfirmDialog title={`Kill ${pods.length === 1 ? pods[0]?.name : `${pods.length} pods`}?`} confirmLabel="Kill" busy={busy} onCancel={() => setConfirm(null)} onConfirm={() => void run(confirm)}>
          <p>Every running container of {pods.length === 1 ? 'the pod' : 'these pods'} gets SIGKILL at once: what they had not saved is lost.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
