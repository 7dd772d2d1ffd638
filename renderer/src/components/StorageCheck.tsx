// The System page's storage check: "Check storage" runs system.check and shows what it found; "Repair"
// runs it again with repair and shows what was done. Thin: wording lives in storage-check-presenters.
import { useState } from 'react';
import type { SystemCheckReport } from '../../../shared/types/system-check.ts';
import { canRepair, checkIssueRows, checkSummary } from '../presenters/storage-check-presenters.ts';
import { useEngine } from '../query/use-engine.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export function StorageCheck() {
  const { client } = useEngine();
  const [report, setReport] = useState<SystemCheckReport | null>(null);
  const [running, setRunning] = useState<'check' | 'repair' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async (repair: boolean) => {
    setRunning(repair ? 'repair' : 'check');
    setError(null);
    try {
      setReport(await client.call('system.check', { repair }));
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(null);
    }
  };

  const summary = report ? checkSummary(report) : null;
  const rows = report ? checkIssueRows(report) : [];
  return (
    <section className="card" aria-labelledby="card-storage-check">
      <header className="card-header">
        <h2 id="card-storage-check" className="card-title">
          Storage check
        </h2>
        <span className="card-subtitle">databases, images, containers, leftovers of interrupted work</span>
      </header>
      <div className="card-body stack-tight">
        <div className="toolbar">
          <button type="button" className="button" onClick={() => void run(false)} disabled={running !== null}>
            <Icon name="refresh" size={14} className={running === 'check' ? 'spin' : undefined} />
            {running === 'check' ? 'Checking storage…' : 'Check storage'}
          </button>
          {report && canRepair(report) && (
            <button type="button" className="button button-primary" onClick={() => void run(true)} disabled={running !== null}>
              {running === 'repair' ? 'Repairing…' : 'Repair'}
            </button>
          )}
        </div>
        {error != null && <ErrorPanel error={error} doing="checking storage" onRetry={() => void run(false)} />}
        {summary && (
          <div role="status" aria-label="Storage check result" className="stack-tight">
            <p>
              <StatusBadge tone={summary.tone}>{summary.headline}</StatusBadge>
            </p>
            <p className="muted small">{summary.detail}</p>
          </div>
        )}
        {rows.length > 0 && (
          <table className="table table-compact" aria-label="Storage problems">
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col">Details</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  <td>
                    {row.problem}
                    <div className="mono muted small cell-path">{row.subject}</div>
                  </td>
                  <td>
                    <StatusBadge tone={row.tone}>{row.outcome}</StatusBadge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
