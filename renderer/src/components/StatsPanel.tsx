import { useState } from 'react';
import { emptyHistory, pushSample, sparklinePoints, statsView } from '../containers/stats-model.ts';
import type { StatsHistory } from '../containers/stats-model.ts';
import { useStream } from '../query/use-stream.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { ProgressBar } from './ProgressBar.tsx';

/**
 * Live resource use of a running container: a `containers.stats` stream open while this panel is
 * shown (unmounting it — another tab, the panel closing — cancels the stream), one sample every
 * two seconds, with the last minute of CPU and memory drawn as sparklines.
 */
export function StatsPanel({ nameOrId, running }: { nameOrId: string; running: boolean }) {
  const [history, setHistory] = useState<StatsHistory>(() => emptyHistory(30));
  const stream = useStream(
    'containers.stats',
    { nameOrIds: [nameOrId], intervalMs: 2_000 },
    (value) => {
      const sample = value[0];
      if (sample) setHistory((h) => pushSample(h, sample));
    },
    running,
  );
  const live = stream.status === 'open';
  const error = stream.error;

  const latest = history.samples.at(-1);
  if (!running && !latest) return <p className="details-empty muted">Statistics are read from a running container: start it to see them.</p>;
  const view = latest ? statsView(latest) : null;
  const cpu = history.samples.map((s) => s.cpuPercent);
  const memory = history.samples.map((s) => s.memPercent);

  return (
    <div className="stats">
      <p className="stats-live small" role="status" aria-live="polite">
        {live ? `Live · ${history.samples.length} ${history.samples.length === 1 ? 'sample' : 'samples'}` : 'Not updating: the container is not running'}
      </p>
      {error && <ErrorPanel error={error} doing="reading statistics" />}
      {!view ? (
        <div className="loading inspect-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Reading the first sample…
        </div>
      ) : (
        <dl className="stats-grid" aria-label="Resource use">
          <div className="stats-cell">
            <dt>CPU</dt>
            <dd data-testid="stats-cpu">{view.cpu}</dd>
            <Sparkline values={cpu} floor={5} label="CPU over the last minute" />
            <span className="muted small">average {view.avgCpu}</span>
          </div>
          <div className="stats-cell">
            <dt>Memory</dt>
            <dd data-testid="stats-memory">{view.memory}</dd>
            <ProgressBar fraction={view.memoryFraction} label="Memory use of the limit" valueText={view.memoryPercent} size="thin" />
            <Sparkline values={memory} floor={5} label="Memory over the last minute" />
          </div>
          <div className="stats-cell">
            <dt>Processes</dt>
            <dd data-testid="stats-pids">{view.pids}</dd>
          </div>
          <div className="stats-cell">
            <dt>Network</dt>
            <dd>{view.net}</dd>
          </div>
          <div className="stats-cell">
            <dt>Block I/O</dt>
            <dd>{view.block}</dd>
          </div>
        </dl>
      )}
    </div>
  );
}

function Sparkline({ values, floor, label }: { values: readonly number[]; floor: number; label: string }) {
  return (
    <svg className="sparkline" viewBox="0 0 120 28" width="120" height="28" role="img" aria-label={label}>
      <polyline points={sparklinePoints(values, 120, 28, floor)} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
