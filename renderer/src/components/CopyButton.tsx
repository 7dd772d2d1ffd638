import { useEffect, useState } from 'react';
import { Icon } from './Icon.tsx';

/** Copies `text` to the clipboard; says "Copied" for a moment (a UI cue, not data). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (copied === 'idle') return;
    const timer = window.setTimeout(() => setCopied('idle'), 1800);
    return () => window.clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <button type="button" className="button button-ghost button-small copy-button" onClick={() => void copy()} aria-label={label}>
      <Icon name={copied === 'copied' ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">{copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}</span>
    </button>
  );
}

/** A shell command shown as code, selectable as a whole, with a Copy button. */
export function CommandBlock({ command, label }: { command: string; label: string }) {
  return (
    <div className="command">
      <code className="command-text">
        <span className="command-prompt" aria-hidden="true">
          #{' '}
        </span>
        {command}
      </code>
      <CopyButton text={command} label={label} />
    </div>
  );
}
