import type { ReactNode } from 'react';
import type { CgroupInfo, RootlessInfo, SystemInfo } from '../../../shared/types/system-info.ts';
import { CommandBlock } from '../components/CopyButton.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Icon } from '../components/Icon.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { StorageCheck } from '../components/StorageCheck.tsx';
import { formatEventTime } from '../presenters/event-presenters.ts';
import {
  archLabel,
  cgroupModeDescription,
  cgroupModeLabel,
  componentRoleLabel,
  componentStatusLabel,
  controllersLabel,
  memoryLabel,
  alternativeSentence,
  modeLabel,
  networkHelperLabel,
  overlayLabel,
  rlimitRows,
  rootlessLimitsLabel,
  subordinateRangesLabel,
  systemProblems,
} from '../presenters/system-presenters.ts';
import type { Problem } from '../presenters/system-presenters.ts';
import { useCall } from '../query/use-call.ts';

export function SystemPage() {
  const info = useCall('system.info', {});
  const updated = info.updatedAt ? formatEventTime(new Date(info.updatedAt).toISOString()) : null;

  return (
    <>
      <PageHeader
        title="System"
        description="What this engine found on the machine: versions, components, cgroups, limits and storage."
        actions={
          <>
            {updated && <span className="muted small">Checked at {updated}</span>}
            <button type="button" className="button" onClick={() => void info.refetch()} disabled={info.fetching}>
              <Icon name="refresh" size={14} className={info.fetching ? 'spin' : undefined} />
              {info.fetching ? 'Checking…' : 'Check again'}
            </button>
          </>
        }
      />
      {info.error != null && <ErrorPanel error={info.error} doing="reading system information" onRetry={() => void info.refetch()} />}
      {info.data ? <SystemDetails info={info.data} /> : info.loading && <LoadingRows label="Reading system information…" />}
    </>
  );
}

function SystemDetails({ info }: { info: SystemInfo }) {
  const problems = systemProblems(info);
  const runtime = info.components.find((c) => c.name === info.ociRuntime.default);
  return (
    <div className="stack">
      {problems.length > 0 && (
        <section aria-labelledby="problems-heading" className="stack-tight">
          <h2 id="problems-heading" className="visually-hidden">
            Problems found
          </h2>
          {problems.map((p) => (
            <ProblemPanel key={p.key} problem={p} />
          ))}
        </section>
      )}

      <section aria-label="Overview" className="tiles">
        <Tile label="OCI runtime" value={`${info.ociRuntime.default}${runtime?.version ? ` ${runtime.version}` : ''}`}>
          <StatusBadge tone={info.ociRuntime.usable ? 'ok' : 'danger'}>{info.ociRuntime.usable ? 'Usable' : 'Not usable'}</StatusBadge>
        </Tile>
        <Tile label="Mode" value={info.podbay.mode === 'rootful' ? 'Rootful' : 'Rootless'}>
          <span className="muted">uid {info.podbay.uid}</span>
        </Tile>
        <Tile label="Cgroups" value={cgroupModeLabel(info.host.cgroups.mode)}>
          <span className="muted">{info.host.cgroups.manager}</span>
        </Tile>
        <Tile label="Kernel" value={info.host.kernel}>
          <span className="muted">{archLabel(info.host.arch)}</span>
        </Tile>
        <Tile label="Resources" value={`${info.host.cpus} CPU${info.host.cpus === 1 ? '' : 's'}`}>
          <span className="muted">{memoryLabel(info.host.memTotal)} memory</span>
        </Tile>
      </section>

      <div className="system-layout">
        <div className="system-main">
          <Card title="Components" flush>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Version</th>
                  <th scope="col">Path</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {info.components.map((c) => {
                  const status = componentStatusLabel(c.status);
                  return (
                    <tr key={c.name}>
                      <th scope="row" className="cell-name">
                        {c.name}
                        {c.name === info.ociRuntime.default && <span className="tag">default</span>}
                      </th>
                      <td>{componentRoleLabel(c.role)}</td>
                      <td className="mono">{c.version ?? '—'}</td>
                      <td className="mono cell-path">{c.path ?? <span className="muted">not found</span>}</td>
                      <td>
                        <StatusBadge tone={status.tone} title={c.problem ?? undefined}>
                          {status.label}
                        </StatusBadge>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Card>

          <StorageCheck />

          <Card title="Resource limits" subtitle="of the engine process (inherited by conmon and containers unless set)" flush>
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Limit</th>
                  <th scope="col">Resource</th>
                  <th scope="col" className="numeric">
                    Soft
                  </th>
                  <th scope="col" className="numeric">
                    Hard
                  </th>
                </tr>
              </thead>
              <tbody>
                {rlimitRows(info.host.rlimits).map((r) => (
                  <tr key={r.resource}>
                    <th scope="row">{r.label}</th>
                    <td className="mono muted">{r.resource}</td>
                    <td className="numeric mono">{r.soft}</td>
                    <td className="numeric mono">{r.hard}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </div>
        <div className="system-side">
          <Card title="Host">
            <Facts
              rows={[
                ['Operating system', info.host.os],
                ['Kernel', info.host.kernel],
                ['Architecture', archLabel(info.host.arch)],
                ['Hostname', info.host.hostname],
                ['CPUs', String(info.host.cpus)],
                ['Memory', memoryLabel(info.host.memTotal)],
              ]}
            />
          </Card>
          <Card title="Podbay">
            <Facts
              rows={[
                ['Version', info.podbay.version],
                ['Mode', modeLabel(info.podbay.mode, info.podbay.uid)],
                ['Process ID', String(info.podbay.pid)],
                ['Node.js', info.podbay.node],
                ['Electron', info.podbay.electron ?? 'not running in Electron'],
              ]}
            />
          </Card>
          {info.rootless && <RootlessCard rootless={info.rootless} cgroups={info.host.cgroups} />}
          <Card title="Cgroups">
            <Facts
              rows={[
                ['Version', info.host.cgroups.version],
                ['Mode', <span key="mode">{cgroupModeLabel(info.host.cgroups.mode)}</span>],
                ['Unified controllers', controllersLabel(info.host.cgroups.unifiedControllers)],
                ['Manager', info.host.cgroups.manager],
              ]}
            />
            <p className="card-note">{cgroupModeDescription(info.host.cgroups)}</p>
          </Card>
          <Card title="Storage">
            <Facts
              rows={[
                ['Graph root', <PathValue key="g" path={info.store.graphRoot} exists={info.store.graphRootExists} />],
                ['Run root', <PathValue key="r" path={info.store.runRoot} exists={info.store.runRootExists} />],
                ['Database', <code key="d" className="path">{info.store.databasePath}</code>],
                [
                  'Config files',
                  info.store.configFiles.length === 0 ? (
                    <span key="c" className="muted">none (defaults)</span>
                  ) : (
                    <span key="c" className="path-list">
                      {info.store.configFiles.map((f) => (
                        <code key={f} className="path">
                          {f}
                        </code>
                      ))}
                    </span>
                  ),
                ],
              ]}
            />
          </Card>
        </div>
      </div>
    </div>
  );
}

function RootlessCard({ rootless, cgroups }: { rootless: RootlessInfo; cgroups: CgroupInfo }) {
  const helpers = [rootless.newuidmap, rootless.newgidmap].filter((p): p is string => p !== null);
  return (
    <Card title="Rootless">
      <Facts
        rows={[
          ['User', `${rootless.user} (uid ${rootless.uid}, gid ${rootless.gid})`],
          ['Subordinate UIDs', subordinateRangesLabel(rootless.subuids)],
          ['Subordinate GIDs', subordinateRangesLabel(rootless.subgids)],
          ['User namespaces', rootless.userNamespaces ? 'allowed' : 'disabled'],
          ['ID map helpers', helpers.length === 2 ? helpers.join(', ') : 'missing'],
          ['Overlay', overlayLabel(rootless.overlay)],
          ['Network helper', networkHelperLabel(rootless.networkHelper)],
          ['Resource limits', rootlessLimitsLabel(rootless, cgroups)],
        ]}
      />
      <p className="card-note">
        {rootless.problems.length === 0 ? 'Everything rootless containers need is in place.' : `${rootless.problems.length} problem${rootless.problems.length === 1 ? '' : 's'} above stop rootless containers.`}
      </p>
    </Card>
  );
}

function ProblemPanel({ problem }: { problem: Problem }) {
  const titleId = `problem-${problem.key.replace(/[^a-z0-9-]/gi, '-')}`;
  return (
    <section className={`panel panel-${problem.tone}`} role="alert" aria-labelledby={titleId}>
      <Icon name="alert" size={18} className="panel-icon" />
      <div className="panel-body">
        <h3 id={titleId} className="panel-title">
          {problem.title}
        </h3>
        <p className="panel-text">{problem.problem}</p>
        {problem.fix && (
          <div className="fix">
            <p className="fix-label">
              To fix{problem.fix.note ? `, ${problem.fix.note}` : ''}
              {problem.fix.command ? ':' : '.'}
            </p>
            {problem.fix.command && <CommandBlock command={problem.fix.command} label={`Copy the command that fixes: ${problem.title}`} />}
            {problem.fix.alternative && <p className="fix-alternative">{alternativeSentence(problem.fix.alternative)}</p>}
          </div>
        )}
      </div>
    </section>
  );
}

function Tile({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <div className="tile">
      <div className="tile-label">{label}</div>
      <div className="tile-value">{value}</div>
      <div className="tile-detail">{children}</div>
    </div>
  );
}

function Card({ title, subtitle, flush, children }: { title: string; subtitle?: string; flush?: boolean; children: ReactNode }) {
  const id = `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={flush ? 'card card-flush' : 'card'} aria-labelledby={id}>
      <header className="card-header">
        <h2 id={id} className="card-title">
          {title}
        </h2>
        {subtitle && <span className="card-subtitle">{subtitle}</span>}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function PathValue({ path, exists }: { path: string; exists: boolean }) {
  return (
    <span className="path-value">
      <code className="path">{path}</code>
      {!exists && <span className="tag tag-muted" title="Created on first use">not created yet</span>}
    </span>
  );
}

function LoadingRows({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}
