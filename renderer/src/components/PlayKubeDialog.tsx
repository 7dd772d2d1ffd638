import { useEffect, useId, useReducer, useRef, useState } from 'react';
import { maxKubeYamlBytes } from '../../../shared/types/kube.ts';
import type { KubePlayReport } from '../../../shared/types/kube.ts';
import { initialKubePlay, kubePlayReducer, kubeYamlProblem, playedSummary } from '../pods/kube-play-model.ts';
import { useEngine } from '../query/use-engine.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { FormDialog } from './FormDialog.tsx';

/**
 * Play Kubernetes YAML (podman play kube): pasted or loaded from a file, with Replace; pull progress
 * while it runs, then the pods it created and what it ignored. Errors are the engine's, typed.
 */
export function PlayKubeDialog({ onClose, onPlayed }: { onClose: () => void; onPlayed?: (report: KubePlayReport) => void }) {
  const { client } = useEngine();
  const id = useId();
  const first = useRef<HTMLTextAreaElement>(null);
  const [yaml, setYaml] = useState('');
  const [replace, setReplace] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [view, dispatch] = useReducer(kubePlayReducer, initialKubePlay);
  const cancel = useRef<(() => void) | null>(null);
  useEffect(() => () => cancel.current?.(), []);

  const load = async (file: File | undefined) => {
    if (!file) return;
    // Read only what the engine would accept (and one byte more, so the size check can say so).
    const text = await file.slice(0, maxKubeYamlBytes + 1).text();
    setYaml(text);
    setProblem(kubeYamlProblem(text));
  };

  const play = () => {
    const why = kubeYamlProblem(yaml);
    setProblem(why);
    if (why) return;
    setBusy(true);
    setFailure(null);
    cancel.current = client.stream('kube.play', { yaml, replace }, (frame) => {
      if (frame.type === 'data') {
        dispatch(frame.value);
        if (frame.value.type === 'played') onPlayed?.(frame.value.report);
        return;
      }
      cancel.current = null;
      setBusy(false);
      if (frame.type === 'error') setFailure(frame.error);
    });
  };

  const report = view.report;
  return (
    <FormDialog
      title="Play Kubernetes YAML"
      subtitle="Creates and starts the pods of a Pod or Deployment manifest, as podman play kube"
      icon="pods"
      wide
      busy={busy}
      noValidate
      initialFocus={first}
      onClose={onClose}
      onSubmit={play}
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {report ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy && <span className="spinner spinner-small" aria-hidden="true" />}
            Play
          </button>
        </>
      }
    >
      <label className="form-field" htmlFor={`${id}-yaml`}>
        <span className="form-label">Kubernetes YAML</span>
        <textarea
          ref={first}
          id={`${id}-yaml`}
          className="input textarea mono"
          rows={12}
          spellCheck={false}
          placeholder={'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: srv\n      image: busybox'}
          value={yaml}
          onChange={(e) => setYaml(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-yaml-hint`}
        />
        <span id={`${id}-yaml-hint`} className={problem ? 'form-error' : 'form-hint'}>
          {problem ?? 'Pod, Deployment (one replica), ConfigMap and PersistentVolumeClaim; other kinds and fields are listed as ignored'}
        </span>
      </label>
      <label className="form-field" htmlFor={`${id}-file`}>
        <span className="form-label">Or load a file</span>
        <input id={`${id}-file`} type="file" accept=".yaml,.yml,application/yaml,text/yaml" onChange={(e) => void load(e.target.files?.[0])} disabled={busy} />
      </label>
      <label className="check-row">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} disabled={busy} />
        Replace pods of the same names
      </label>
      {view.pulling && busy && (
        <p className="muted" role="status">
          Pulling {view.pulling.image}: {view.pulling.text}
        </p>
      )}
      {failure != null && <ErrorPanel error={failure} doing="playing the Kubernetes YAML" />}
      {report && (
        <div className="panel" role="status" aria-label="Played pods">
          <p>{playedSummary(report)}</p>
          {report.replaced.length > 0 && <p className="muted">Replaced: {report.replaced.join(', ')}</p>}
          {report.ignored.length > 0 && (
            <>
              <p>Ignored:</p>
              <ul className="kube-ignored">
                {report.ignored.map((entry) => (
                  <li key={entry.path} className="mono small">
                    {entry.path}: {entry.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </FormDialog>
  );
}
