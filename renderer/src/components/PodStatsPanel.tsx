import { useState } from 'react';
import type { PodStats } from '../../../shared/types/pods.ts';
import { statsView } from '../containers/stats-model.ts';
import { useStream } from '../query/use-stream.ts';
import { ErrorPanel } from './ErrorPanel.tsx';

/**
 * Live resource use of a pod's running containers (podman pod stats), one row each, the infra's
 * included: a `pods.stats` stream open while the panel is shown, a round every two seconds.
 */
export function PodStatsPanel({ nameOrId, running }: { nameOrId: string; running: boolean }) {
  const [rows, setRows] = useState<PodStats[] | null>(null);
  const stream = useStream('pods.stats', { nameOrIds: [nameOrId], intervalMs: 2_000 }, setRows, running);
  const live = stream.status === 'open';
  const error = stream.error;

  if (!running && !rows) return <p className="details-empty muted">Statistics are read from a running pod: start it to see them.</p>;
  return (
    <div className="processes">
      <p className="stats-live small" role="status" aria-live="polite">
        {live ? 'Live' : 'Not updating: the pod is not running'}
      </p>
      {error && <ErrorPanel error={error} doing="reading statistics" />}
      {rows && (
        <div className="processes-scroll">
          <table className="processes-table" aria-label="Resource use per container">
            <thead>
              <tr>
                {['Container', 'CPU', 'Memory', 'PIDs', 'Network', 'Block I/O'].map((t) => (
                  <th key={t} scope="col">
                    {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const view = statsView(row);
                return (
                  <tr key={row.id}>
                    <td>{row.name}</td>
                    <td className="mono">{view.cpu}</td>
                    <td className="mono">{view.memory}</td>
                    <td className="mono">{view.pids}</td>
                    <td className="mono">{view.net}</td>
                    <td className="mono">{view.block}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
