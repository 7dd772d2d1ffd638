import type { ActionSummary } from '../containers/container-actions.ts';
import { Icon } from './Icon.tsx';

/** What a batch action did: a count, and each container that failed with its own error. */
export function ActionResults({ result, onDismiss }: { result: ActionSummary; onDismiss: () => void }) {
  const failed = result.failures.length > 0;
  return (
    <section className={`panel panel-${result.tone} removal-results`} role={failed ? 'alert' : 'status'} aria-label="Action results">
      <Icon name={failed ? 'alert' : 'check'} size={18} className="panel-icon" />
      <div className="panel-body">
        <p className="panel-title">{result.title}</p>
        {failed && (
          <ul className="failure-list">
            {result.failures.map((f) => (
              <li key={f.key}>
                <span className="strong">{f.name}</span>: {f.message} {f.code && <code className="failure-code">{f.code}</code>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="button button-ghost button-small" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}
