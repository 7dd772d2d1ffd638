import { describeError } from '../presenters/error-presenters.ts';
import { Icon } from './Icon.tsx';

/** An error from a call, as a person reads it: what kind, what the engine said, the code, retry. */
export function ErrorPanel({ error, doing, onRetry }: { error: unknown; doing: string; onRetry?: () => void }) {
  const view = describeError(error);
  return (
    <div className="panel panel-danger error-panel" role="alert">
      <Icon name="error" size={18} className="panel-icon" />
      <div className="panel-body">
        <p className="panel-title">
          {view.title} <span className="panel-subtitle">while {doing}</span>
        </p>
        <p className="panel-text">{view.message}</p>
        {view.code && <p className="panel-code">Error code: <code>{view.code}</code></p>}
      </div>
      {onRetry && view.retryable && (
        <button type="button" className="button button-small" onClick={onRetry}>
          <Icon name="refresh" size={14} />
          Retry
        </button>
      )}
    </div>
  );
}
