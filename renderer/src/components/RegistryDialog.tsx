import { useId, useRef, useState } from 'react';
import type { RegistryInfo, RegistryTestReport } from '../../../shared/types/registries.ts';
import { hostProblem } from '../registries/registry-presenters.ts';
import { useEngine } from '../query/use-engine.ts';
import { CredentialFields } from './CredentialFields.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { RegistryTestResults } from './RegistryTestResults.tsx';
import { FormDialog } from './FormDialog.tsx';

/**
 * Add a registry (host, plain HTTP / unverified TLS, its CA, credentials) or log in to a known
 * one. Test runs what a push needs first — reachable, login, push permission — with what is typed,
 * before anything is saved; Add / Log in then writes the standard files.
 */
export function RegistryDialog({ mode, registry, onDone, onClose }: { mode: 'add' | 'login'; registry?: RegistryInfo; onDone: (info: RegistryInfo) => void; onClose: () => void }) {
  const { client } = useEngine();
  const firstRef = useRef<HTMLInputElement>(null);
  const hostHintId = useId();
  const [host, setHost] = useState(registry?.host ?? '');
  const [insecure, setInsecure] = useState(registry?.insecure ?? false);
  const [ca, setCa] = useState('');
  const [username, setUsername] = useState(registry?.login?.username ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [report, setReport] = useState<RegistryTestReport | null>(null);
  const [error, setError] = useState<{ error: unknown; doing: string } | null>(null);

  const problem = mode === 'add' ? hostProblem(host) : null;
  const credentials = username.trim() !== '' ? { username: username.trim(), password } : undefined;
  const cleanHost = host.trim().replace(/^(https?|docker):\/\//, '').replace(/\/+$/, '');
  const canSave = problem === null && (mode === 'add' || credentials !== undefined) && busy === null;

  const test = async () => {
    if (problem !== null) return;
    setBusy('test');
    setError(null);
    try {
      setReport(
        await client.call('registries.test', {
          host: cleanHost,
          ...(insecure ? { tlsVerify: false } : {}),
          ...(ca.trim() !== '' ? { ca } : {}),
          ...(credentials ? { credentials } : {}),
        }),
      );
    } catch (e) {
      setError({ error: e, doing: `testing ${cleanHost}` });
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    if (!canSave) return;
    setBusy('save');
    setError(null);
    try {
      const info =
        mode === 'add'
          ? await client.call('registries.add', { host: cleanHost, insecure, ...(ca.trim() !== '' ? { ca } : {}), ...(credentials ? { credentials } : {}) })
          : await client.call('registries.login', { host: cleanHost, credentials: credentials!, ...(insecure ? { tlsVerify: false } : {}) });
      onDone(info);
    } catch (e) {
      setError({ error: e, doing: mode === 'add' ? `adding ${cleanHost}` : `logging in to ${cleanHost}` });
      setBusy(null);
    }
  };

  const loadCa = (file: File | undefined) => {
    if (!file) return;
    if (file.size > 256 * 1024) {
      setError({ error: new Error(`${file.name} is larger than 256 KiB: not a CA certificate`), doing: 'reading the CA file' });
      return;
    }
    void file.text().then(setCa);
  };

  return (
    <FormDialog
      title={mode === 'add' ? 'Add a registry' : `Log in to ${registry?.host ?? host}`}
      icon="registries"
      wide
      busy={busy === 'save'}
      initialFocus={firstRef}
      onClose={onClose}
      onSubmit={() => void save()}
      actions={
        <>
          <button type="button" className="button" onClick={() => void test()} disabled={problem !== null || busy !== null}>
            {busy === 'test' ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="plug" size={14} />}
            Test
          </button>
          <span className="toolbar-spacer" />
          <button type="button" className="button" onClick={onClose} disabled={busy === 'save'}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!canSave}>
            {busy === 'save' ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="check" size={14} />}
            {mode === 'add' ? 'Add registry' : 'Log in'}
          </button>
        </>
      }
    >
      {mode === 'add' && (
        <>
          <label className="form-field">
            <span className="form-label">Registry</span>
            <input
              ref={firstRef}
              className="input mono"
              name="host"
              autoComplete="off"
              spellCheck={false}
              placeholder="registry.example.com or 127.0.0.1:5000"
              aria-describedby={hostHintId}
              aria-invalid={host.trim() !== '' && problem !== null}
              value={host}
              onChange={(e) => {
                setHost(e.target.value);
                setReport(null);
              }}
            />
          </label>
          <p id={hostHintId} className={`form-hint${host.trim() !== '' && problem ? ' form-hint-danger' : ''}`}>
            {host.trim() !== '' && problem ? problem : 'Saved in Podbay’s registries.conf drop-in, which podman and skopeo read too.'}
          </p>
          <label className="check-row">
            <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} />
            Insecure: plain HTTP or an unverified certificate
          </label>
          <label className="form-field">
            <span className="form-label">CA certificate (PEM, optional)</span>
            <textarea className="input textarea mono" name="ca" rows={3} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" value={ca} onChange={(e) => setCa(e.target.value)} />
          </label>
          <label className="form-field form-field-file">
            <span className="form-label">Or load the CA from a file</span>
            <input type="file" accept=".crt,.pem,.cer" onChange={(e) => loadCa(e.target.files?.[0])} />
          </label>
        </>
      )}
      <CredentialFields username={username} password={password} onUsername={setUsername} onPassword={setPassword} optional={mode === 'add'} usernameRef={mode === 'login' ? firstRef : undefined} />
      <p className="form-hint">Credentials are checked with the registry before they are stored in auth.json (readable by podman, skopeo and docker tools).</p>
      {report && <RegistryTestResults report={report} />}
      {error && <ErrorPanel error={error.error} doing={error.doing} />}
    </FormDialog>
  );
}
