import { useEffect, useId, useMemo, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { jsonTokens } from './json-tokens.ts';

/**
 * The full inspect data of one object as pretty JSON, with Copy and Close (Escape closes too).
 * Focus moves to the panel when it opens, so the keyboard reaches it at once.
 */
export function InspectPanel({
  title,
  subtitle,
  data,
  error,
  loading,
  gone,
  doing,
  onClose,
  onRetry,
}: {
  title: string;
  subtitle?: ReactNode;
  data: unknown;
  error: unknown;
  loading: boolean;
  /** Set when the object was removed while shown: the last data stays, marked as such. */
  gone?: string | null;
  doing: string;
  onClose: () => void;
  onRetry?: () => void;
}) {
  const headingId = useId();
  const panel = useRef<HTMLElement>(null);
  const json = useMemo(() => (data === undefined ? '' : JSON.stringify(data, null, 2)), [data]);
  const tokens = useMemo(() => jsonTokens(json), [json]);

  useEffect(() => {
    panel.current?.focus();
  }, [title]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <aside ref={panel} className="inspect" aria-labelledby={headingId} tabIndex={-1} onKeyDown={onKeyDown}>
      <header className="inspect-header">
        <Icon name="inspect" size={15} className="inspect-icon" />
        <div className="inspect-heading">
          <h2 id={headingId} className="inspect-title">
            {title}
          </h2>
          {subtitle && <p className="inspect-subtitle">{subtitle}</p>}
        </div>
        <CopyButton text={json} label="Copy JSON" />
        <button type="button" className="button button-ghost button-small button-icon" onClick={onClose} aria-label="Close inspector" title="Close (Esc)">
          <Icon name="close" size={14} />
        </button>
      </header>
      {gone && (
        <p className="inspect-gone" role="status">
          {gone}
        </p>
      )}
      {error != null && !gone && (
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
      )}
    </aside>
  );
}
