import type { Tone } from '../presenters/system-presenters.ts';
import { Icon } from './Icon.tsx';

export interface RemovalResultsView {
  readonly title: string;
  readonly tone: Tone;
  readonly failures: readonly { readonly key: string; readonly name: string; readonly title: string; readonly message: string; readonly code: string | null }[];
}

/** What a batch removal did: a count, and each item that failed with its own error. */
export function RemovalResults({ result, onDismiss }: { result: RemovalResultsView; onDismiss: () => void }) {
  const failed = result.failures.length > 0;
  return (
    <section className={`panel panel-${result.tone} removal-results`} role={failed ? 'alert' : 'status'} aria-label="Removal results">
      <Icon name={failed ? 'alert' : 'check'} size={18} className="panel-icon" />
      <div className="panel-body">
        <p className="panel-title">{result.title}</p>
        {failed && (
          <ul className="failure-list">
            {result.failures.map((f) => (
              <li key={f.key}>
                <span className="strong">{f.name}</span>: {f.message}
                {f.code && (
                  <>
                    {' '}
                    <code className="failure-code">{f.code}</code>
                  </>
                )}
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
