import { Suspense, lazy, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ContainerListItem } from '../../../shared/types/containers.ts';
import { actionAllowed, actionLabels, canAttach } from '../containers/container-actions.ts';
import type { ContainerAction } from '../containers/container-actions.ts';
import { statusView } from '../containers/container-presenters.ts';
import { shortId } from '../presenters/event-presenters.ts';
import { useCall } from '../query/use-call.ts';
import { useEngine } from '../query/use-engine.ts';
import { ActionIcon } from './ActionIcon.tsx';
import type { ActionIconName } from './ActionIcon.tsx';
import { CopyButton } from './CopyButton.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';
import { DetailsTabs } from './DetailsTabs.tsx';
import type { DetailsTabSpec } from './DetailsTabs.tsx';
import { Icon } from './Icon.tsx';
import { jsonTokens } from './json-tokens.ts';
import { LogsPanel } from './LogsPanel.tsx';
import { ChangesPanel } from './ChangesPanel.tsx';
import { KubePanel } from './KubePanel.tsx';
import { CommitDialog } from './CommitDialog.tsx';
import { FilesPanel } from './FilesPanel.tsx';
import { ProcessesPanel } from './ProcessesPanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { useTasksUi } from '../tasks/use-tasks.ts';
import { PortLinks } from './PortLinks.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import type { OpenConsole } from './TerminalPanel.tsx';

// xterm.js is loaded when a Console or Terminal first opens, not with the window.
const TerminalPanel = lazy(() => import('./TerminalPanel.tsx').then((m) => ({ default: m.TerminalPanel })));

const termLoading = (
  <div className="loading inspect-loading" role="status">
    <span className="spinner" aria-hidden="true" />
    Loading the terminal…
  </div>
);

export type DetailsTab = 'inspect' | 'logs' | 'console' | 'terminal' | 'files' | 'stats' | 'processes' | 'changes' | 'kube';

const tabs: readonly DetailsTabSpec<DetailsTab>[] = [
  { id: 'inspect', label: 'Inspect', icon: 'details' },
  { id: 'logs', label: 'Logs', icon: 'logs' },
  { id: 'console', label: 'Console', icon: 'console' },
  { id: 'terminal', label: 'Terminal', icon: 'terminal' },
  { id: 'files', label: 'Files', icon: 'details' },
  { id: 'stats', label: 'Stats', icon: 'logs' },
  { id: 'processes', label: 'Processes', icon: 'console' },
  { id: 'changes', label: 'Changes', icon: 'details' },
  { id: 'kube', label: 'Kube', icon: 'details' },
];

const headerActions: readonly { action: ContainerAction; icon: ActionIconName }[] = [
  { action: 'start', icon: 'play' },
  { action: 'stop', icon: 'stop' },
  { action: 'restart', icon: 'restart' },
  { action: 'pause', icon: 'pause' },
  { action: 'unpause', icon: 'play' },
  { action: 'kill', icon: 'kill' },
];

/** The shell the Terminal tab runs: bash where the container has it, else sh (as the issue asks). */
export const terminalShell = ['/bin/sh', '-c', 'if [ -x /bin/bash ]; then exec /bin/bash; else exec /bin/sh; fi'];

/**
 * One container's details beside the list: its state and actions, and tabs — Inspect (the JSON),
 * Logs (followed), Console (attached to its tty; leaving the tab detaches) and Terminal (a shell inside
 * by exec; it lives while the panel is open). Escape closes the panel, except inside a terminal.
 */
export function ContainerDetails({
  id,
  item,
  initialTab = 'inspect',
  busy,
  onAction,
  onClose,
}: {
  id: string;
  /** The live row; null once the container is gone. */
  item: ContainerListItem | null;
  initialTab?: DetailsTab;
  busy: boolean;
  onAction: (action: ContainerAction, item: ContainerListItem) => void;
  onClose: () => void;
}) {
  const { client } = useEngine();
  const headingId = useId();
  const panel = useRef<HTMLElement>(null);
  const [tab, setTab] = useState<DetailsTab>(initialTab);
  const [terminalOpened, setTerminalOpened] = useState(initialTab === 'terminal');
  const [committing, setCommitting] = useState(false);
  const { tasks } = useTasksUi();
  const inspect = useCall('containers.inspect', { nameOrId: id });
  const name = item?.name ?? inspect.data?.name ?? shortId(id);
  const running = item ? canAttach(item) : false;
  const tty = inspect.data?.terminal ?? null;

  useEffect(() => {
    panel.current?.focus();
  }, [id]);

  useEffect(() => {
    if (tab === 'terminal') setTerminalOpened(true);
  }, [tab]);

  const openAttach = useCallback<OpenConsole>((size, onFrame) => client.stream('console.attach', { nameOrId: id, size, logs: 200 }, onFrame), [client, id]);
  const openShell = useCallback<OpenConsole>((size, onFrame) => client.stream('console.exec', { nameOrId: id, command: terminalShell, tty: true, size }, onFrame), [client, id]);

  const onKeyDown = (event: KeyboardEvent) => {
    // Escape in a terminal goes to it; in a dialog (Commit) it closes the dialog, not the panel.
    if (event.key !== 'Escape' || (event.target as HTMLElement).closest('.term-body, dialog')) return;
    event.preventDefault();
    onClose();
  };

  const status = item ? statusView(item, Date.now()) : null;
  const label = tabs.find((t) => t.id === tab)?.label ?? 'Inspect';

  return (
    <aside ref={panel} className="inspect details" aria-label={`${label} ${name}`} tabIndex={-1} onKeyDown={onKeyDown}>
      <header className="inspect-header details-header">
        <Icon name="containers" size={15} className="inspect-icon" />
        <div className="inspect-heading">
          <h2 id={headingId} className="inspect-title">
            {name}
          </h2>
          <p className="inspect-subtitle">
            <span className="mono">{shortId(id)}</span>
            {status && (
              <>
                {' '}
                <StatusBadge tone={status.tone}>{status.text}</StatusBadge>
              </>
            )}
          </p>
        </div>
        <button type="button" className="button button-ghost button-small button-icon" onClick={onClose} aria-label="Close details" title="Close (Esc)">
          <Icon name="close" size={14} />
        </button>
      </header>
      {item && (
        <div className="details-actions" role="toolbar" aria-label={`Actions for ${name}`}>
          {headerActions
            .filter(({ action }) => actionAllowed(action, item.state))
            .map(({ action, icon }) => (
              <button key={action} type="button" className={`button button-small${action === 'kill' ? ' button-danger-ghost' : ''}`} disabled={busy} onClick={() => onAction(action, item)}>
                <ActionIcon name={icon} size={13} />
                {actionLabels[action]}
              </button>
            ))}
          <span className="toolbar-spacer" />
          {item.image !== '' && (
            <button type="button" className="button button-small" disabled={busy} onClick={() => setCommitting(true)}>
              <ActionIcon name="plus" size={13} />
              Commit…
            </button>
          )}
          <button type="button" className="button button-small button-danger-ghost" disabled={busy} onClick={() => onAction('remove', item)}>
            <Icon name="trash" size={13} />
            Remove
          </button>
        </div>
      )}
      {item && (item.ports.length > 0 || item.networks.length > 0) && (
        <dl className="details-network" aria-label={`Network of ${name}`}>
          {item.ports.length > 0 && (
            <div>
              <dt>Ports</dt>
              <dd>
                <PortLinks ports={item.ports} />
              </dd>
            </div>
          )}
          {item.networks.length > 0 && (
            <div>
              <dt>{item.podId && inspect.data?.networkSettings.mode.startsWith('container:') ? 'Pod network' : 'Networks'}</dt>
              <dd className="mono">{item.networks.join(', ')}</dd>
            </div>
          )}
        </dl>
      )}
      {!item && inspect.data && (
        <p className="inspect-gone" role="status">
          {inspect.data.name} was removed; this is its last known state.
        </p>
      )}
      <DetailsTabs tabs={tabs} current={tab} onSelect={setTab} headingId={headingId} label="Container details" />
      <div className="details-body">
        {tab === 'inspect' && (
          <div role="tabpanel" id={`${headingId}-panel-inspect`} aria-labelledby={`${headingId}-tab-inspect`} className="details-panel">
            <InspectJson data={inspect.data} error={inspect.error} loading={inspect.loading} onRetry={() => void inspect.refetch()} title={`Inspect ${name}`} />
          </div>
        )}
        {tab === 'logs' && (
          <div role="tabpanel" id={`${headingId}-panel-logs`} aria-labelledby={`${headingId}-tab-logs`} className="details-panel">
            <LogsPanel nameOrId={id} running={running} />
          </div>
        )}
        {tab === 'console' && (
          <div role="tabpanel" id={`${headingId}-panel-console`} aria-labelledby={`${headingId}-tab-console`} className="details-panel details-panel-term">
            <Suspense fallback={termLoading}>
            <TerminalPanel
              kind="console"
              label={`Console of ${name}`}
              open={openAttach}
              available={running && item !== null}
              unavailableText={
                !item ? 'The container was removed.' : tty === false ? 'Not running. (Created without a terminal: its output shows here, typing does not reach it.)' : 'The container is not running: start it to attach.'
              }
              autoReconnect
            />
            </Suspense>
          </div>
        )}
        {terminalOpened && (
          <div
            role="tabpanel"
            id={`${headingId}-panel-terminal`}
            aria-labelledby={`${headingId}-tab-terminal`}
            className="details-panel details-panel-term"
            hidden={tab !== 'terminal'}
          >
            <Suspense fallback={termLoading}>
            <TerminalPanel
              kind="terminal"
              label={`Terminal in ${name}`}
              open={openShell}
              available={running && item !== null}
              unavailableText={!item ? 'The container was removed.' : 'A shell runs inside a running container: start it first.'}
              autoReconnect={false}
            />
            </Suspense>
          </div>
        )}
        {tab === 'files' && (
          <div role="tabpanel" id={`${headingId}-panel-files`} aria-labelledby={`${headingId}-tab-files`} className="details-panel">
            {item ? <FilesPanel nameOrId={id} name={name} /> : <p className="details-empty muted">The container was removed.</p>}
          </div>
        )}
        {tab === 'stats' && (
          <div role="tabpanel" id={`${headingId}-panel-stats`} aria-labelledby={`${headingId}-tab-stats`} className="details-panel">
            <StatsPanel nameOrId={id} running={item?.state === 'running'} />
          </div>
        )}
        {tab === 'processes' && (
          <div role="tabpanel" id={`${headingId}-panel-processes`} aria-labelledby={`${headingId}-tab-processes`} className="details-panel">
            <ProcessesPanel nameOrId={id} running={item?.state === 'running'} />
          </div>
        )}
        {tab === 'changes' && (
          <div role="tabpanel" id={`${headingId}-panel-changes`} aria-labelledby={`${headingId}-tab-changes`} className="details-panel">
            <ChangesPanel nameOrId={id} />
          </div>
        )}
        {tab === 'kube' && (
          <div role="tabpanel" id={`${headingId}-panel-kube`} aria-labelledby={`${headingId}-tab-kube`} className="details-panel">
            <KubePanel nameOrId={id} name={name} />
          </div>
        )}
      </div>
      {committing && <CommitDialog nameOrId={id} containerName={name} onCommit={(input) => tasks.startCommit(input)} onClose={() => setCommitting(false)} />}
    </aside>
  );
}

/** The Inspect tab: the JSON, highlighted, with a Copy button (also the pod details'). */
export function InspectJson({ data, error, loading, onRetry, title, doing = 'inspecting the container' }: { data: unknown; error: unknown; loading: boolean; onRetry: () => void; title: string; doing?: string }) {
  const json = useMemo(() => (data === undefined ? '' : JSON.stringify(data, null, 2)), [data]);
  const tokens = useMemo(() => jsonTokens(json), [json]);
  return (
    <>
      {error != null && (
        <div className="inspect-error">
          <ErrorPanel error={error} doing={doing} onRetry={onRetry} />
        </div>
      )}
      {loading && data === undefined ? (
        <div className="loading inspect-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Reading…
        </div>
      ) : (
        <div className="details-json">
          <div className="details-json-copy">
            <CopyButton text={json} label="Copy JSON" />
          </div>
          <pre className="inspect-json" tabIndex={0} aria-label={`${title} as JSON`}>
            <code>
              {tokens.map((t, i) =>
                t.kind === 'space' || t.kind === 'punct' ? (
                  t.text
                ) : (
                  <span key={i} className={`json-${t.kind}`}>
                    {t.text}
                  </span>
                ),
              )}
            </code>
          </pre>
        </div>
      )}
    </>
  );
}
