import { useMemo, useState } from 'react';
import type { RegistryInfo, RegistryTestReport } from '../../../shared/types/registries.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Icon } from '../components/Icon.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegistryDialog } from '../components/RegistryDialog.tsx';
import { RegistryTestResults } from '../components/RegistryTestResults.tsx';
import { VirtualTable } from '../components/VirtualTable.tsx';
import type { VirtualColumn } from '../components/VirtualTable.tsx';
import { loginLabel, originLabel, registryTraits } from '../registries/registry-presenters.ts';
import { useCall } from '../query/use-call.ts';
import { useEngine } from '../query/use-engine.ts';

/**
 * Registries from registries.conf, Podbay's drop-in and the auth files: add one (insecure, CA,
 * credentials), test it (reachable, login, push permission), log in and out, remove one added here.
 * The files are the truth: the list is read again after each change.
 */
export function RegistriesPage() {
  const { client } = useEngine();
  const list = useCall('registries.list', {});
  const rows = list.data ?? [];
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ mode: 'add' | 'login'; registry?: RegistryInfo } | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [report, setReport] = useState<RegistryTestReport | null>(null);
  const [removing, setRemoving] = useState<RegistryInfo | null>(null);
  const [actionError, setActionError] = useState<{ error: unknown; doing: string } | null>(null);

  const run = async (doing: string, work: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await work();
    } catch (error) {
      setActionError({ error, doing });
    } finally {
      await list.refetch();
    }
  };

  const test = async (r: RegistryInfo) => {
    setTesting(r.host);
    setReport(null);
    setActionError(null);
    try {
      setReport(await client.call('registries.test', { host: r.host }));
    } catch (error) {
      setActionError({ error, doing: `testing ${r.host}` });
    } finally {
      setTesting(null);
    }
  };

  const columns = useMemo<VirtualColumn<RegistryInfo>[]>(
    () => [
      { key: 'host', header: 'Registry', width: 'minmax(180px, 1.6fr)', cell: (r) => <span className="cell-title mono ellipsis">{r.host}</span> },
      {
        key: 'traits',
        header: 'Settings',
        width: 'minmax(160px, 1.6fr)',
        cell: (r) => (
          <span className="tag-list">
            {registryTraits(r).map((t) => (
              <span key={t} className="tag tag-muted tag-inline">
                {t}
              </span>
            ))}
          </span>
        ),
      },
      { key: 'login', header: 'Login', width: 'minmax(110px, 1fr)', cell: (r) => <span className={r.login ? '' : 'muted'}>{loginLabel(r)}</span> },
      { key: 'origin', header: 'From', width: '130px', cell: (r) => <span className="muted" title={r.sources.join('\n')}>{originLabel(r)}</span> },
      {
        key: 'actions',
        header: 'Actions',
        width: '260px',
        className: 'vt-cell-actions',
        headerCell: <span className="visually-hidden">Actions</span>,
        cell: (r) =>
          r.host.startsWith('*.') ? null : (
            <span className="row-actions">
              <button type="button" className="button button-small" tabIndex={-1} aria-label={`Test ${r.host}`} disabled={testing !== null} onClick={() => void test(r)}>
                {testing === r.host ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="plug" size={13} />}
                Test
              </button>
              {r.login ? (
                <button type="button" className="button button-small button-ghost" tabIndex={-1} aria-label={`Log out of ${r.host}`} onClick={() => void run(`logging out of ${r.host}`, () => client.call('registries.logout', { host: r.host }))}>
                  Log out
                </button>
              ) : (
                <button type="button" className="button button-small button-ghost" tabIndex={-1} aria-label={`Log in to ${r.host}`} onClick={() => setDialog({ mode: 'login', registry: r })}>
                  Log in
                </button>
              )}
              {r.managed && (
                <button type="button" className="button button-small button-danger-ghost button-icon" tabIndex={-1} aria-label={`Remove ${r.host}`} title="Remove" onClick={() => setRemoving(r)}>
                  <Icon name="trash" size={13} />
                </button>
              )}
            </span>
          ),
      },
    ],
    [testing, client],
  );

  return (
    <div className="page-fill">
      <PageHeader
        title="Registries"
        description="Where images are pulled from and pushed to: registries.conf, Podbay’s drop-in, certs.d and auth.json — the files podman uses too."
        actions={
          <button type="button" className="button button-primary" onClick={() => setDialog({ mode: 'add' })}>
            <Icon name="registries" size={14} />
            Add registry
          </button>
        }
      />
      {list.error != null && <ErrorPanel error={list.error} doing="reading the registry configuration" onRetry={() => void list.refetch()} />}
      {actionError && <ErrorPanel error={actionError.error} doing={actionError.doing} />}
      {report && (
        <div className="card card-padded">
          <RegistryTestResults report={report} />
          <button type="button" className="button button-small button-ghost" onClick={() => setReport(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="card card-table">
        {list.loading && !list.data ? (
          <div className="loading loading-card" role="status">
            <span className="spinner" aria-hidden="true" />
            Reading registries…
          </div>
        ) : rows.length === 0 ? (
          <div className="empty">
            <Icon name="registries" size={28} />
            <p className="empty-title">No registries configured</p>
            <p className="empty-text">Add your own registry — on plain HTTP, with a self-signed certificate, or behind a login — then test that you may push to it.</p>
            <button type="button" className="button button-primary" onClick={() => setDialog({ mode: 'add' })}>
              Add a registry
            </button>
          </div>
        ) : (
          <VirtualTable label="Registries" rows={rows} rowKey={registryKey} columns={columns} activeKey={activeKey} onActiveChange={setActiveKey} onOpen={(key) => void test(rows.find((r) => r.host === key)!)} />
        )}
      </div>
      {dialog && (
        <RegistryDialog
          mode={dialog.mode}
          registry={dialog.registry}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void list.refetch();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.host}?`}
          confirmLabel="Remove registry"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const host = removing.host;
            setRemoving(null);
            void run(`removing ${host}`, () => client.call('registries.remove', { host }));
          }}
        >
          <p>Its entry in Podbay’s registries.conf drop-in and the CA Podbay saved for it are deleted. Stored credentials stay until you log out.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const registryKey = (r: RegistryInfo) => r.host;
