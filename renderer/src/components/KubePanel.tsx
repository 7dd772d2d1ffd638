import { useState } from 'react';
import { useCall } from '../query/use-call.ts';
import { saveInBrowser } from '../transfers/save-in-browser.ts';
import { CopyButton } from './CopyButton.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';

/** Hands `text` to the browser's own download as `name`, through the same sink as every download. */
function saveText(text: string, name: string): void {
  const bytes = new TextEncoder().encode(text);
  const sink = saveInBrowser({ name, kind: 'file', size: bytes.length });
  sink.write(bytes);
  sink.close();
}

/**
 * The Kube tab: what `podbay generate kube` writes for a pod or a container (a Kubernetes Pod, and a
 * Service when asked), with Copy and Save as `<name>.yaml`.
 */
export function KubePanel({ nameOrId, name }: { nameOrId: string; name: string }) {
  const [service, setService] = useState(false);
  const generated = useCall('kube.generate', { nameOrIds: [nameOrId], service });
  const yaml = generated.data?.yaml ?? '';
  return (
    <div className="kube-panel">
      <div className="kube-toolbar">
        <label className="check-row">
          <input type="checkbox" checked={service} onChange={(e) => setService(e.target.checked)} />
          With a Service
        </label>
        <span className="toolbar-spacer" />
        <CopyButton text={yaml} label="Copy YAML" />
        <button type="button" className="button button-ghost button-small" disabled={!yaml} onClick={() => saveText(yaml, `${name}.yaml`)}>
          <Icon name="download" size={14} />
          Save
        </button>
      </div>
      {generated.error != null && <ErrorPanel error={generated.error} doing="generating the Kubernetes YAML" onRetry={() => void generated.refetch()} />}
      {generated.loading && !generated.data ? (
        <div className="loading inspect-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Generating…
        </div>
      ) : (
        yaml && (
          <pre className="inspect-json" tabIndex={0} aria-label={`Kubernetes YAML of ${name}`}>
            <code>{yaml}</code>
          </pre>
        )
      )}
    </div>
  );
}
