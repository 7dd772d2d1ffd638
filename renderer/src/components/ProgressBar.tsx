import type { Tone } from '../presenters/system-presenters.ts';

/**
 * A determinate bar (0…1) or, without a fraction, an indeterminate one. An ARIA progressbar whose
 * value text says what a sighted person reads beside it ("12 MiB of 50 MiB").
 */
export function ProgressBar({ fraction, label, valueText, tone = 'neutral', size = 'normal' }: { fraction: number | null; label: string; valueText?: string; tone?: Tone; size?: 'normal' | 'thin' }) {
  const value = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
  return (
    <div
      className={`progress progress-${tone}${size === 'thin' ? ' progress-thin' : ''}${value === null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={value === null ? undefined : { width: `${value}%` }} />
    </div>
  );
}
