import { useCallback, useEffect, useState } from 'react';
import type { ContainerTopReport } from '../../../shared/types/container-files.ts';
import { useEngine } from '../query/use-engine.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';

/**
 * `podman top` of a running container (with `pod`, `podman pod top`: every running member's, the
 * infra's included): processes with podman's default columns; Refresh reads them again.
 */
export function ProcessesPanel({ nameOrId, running, pod = false }: { nameOrId: string; running: boolean; pod?: boolean }) {
  const { client } = useEngine();
  const [report, setReport] = useState<ContainerTopReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    (pod ? client.call('pods.top', { nameOrId }) : client.call('containers.top', { nameOrId })).then(
      (r) => {
        setReport(r);
        setLoading(false);
      },
      (e: unknown) => {
        setError(e);
        setLoading(false);
      },
    );
  }, [client, nameOrId, pod]);

  useEffect(() => {
    if (running) load();
    else setReport(null);
  }, [load, running]);

  if (!running) return <p className="details-empty muted">Processes are listed for a running {pod ? 'pod' : 'container'}: start it to see them.</p>;
  return (
    <div className="processes">
      <div className="processes-toolbar">
        <span className="muted small" role="status">
          {loading ? 'Reading…' : report ? `${report.processes.length} ${report.processes.length === 1 ? 'process' : 'processes'}` : ''}
        </span>
        <span className="toolbar-spacer" />
        <button type="button" className="button button-small" onClick={load} disabled={loading}>
          <Icon name="refresh" size={13} />
          Refresh
        </button>
      </div>
      {error != null && <ErrorPanel error={error} doing="listing processes" onRetry={load} />}
      {report && (
        <div className="processes-scroll">
          <table className="processes-table" aria-label="Processes">
            <thead>
              <tr>
                {report.titles.map((t, i) => (
                  <th key={i} scope="col">
                    {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.processes.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={j === row.length - 1 ? 'mono processes-command' : 'mono'}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
