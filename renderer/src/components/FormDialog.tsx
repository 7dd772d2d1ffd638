import { useId, useRef } from 'react';
import type { ReactElement, ReactNode, RefObject } from 'react';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { useModalDialog } from './use-modal-dialog.ts';

/**
 * A modal form, the frame every dialog of the app shares: icon, title (and subtitle), a body and
 * actions the caller gives. Escape closes it and Enter submits, neither while `busy` (a write is
 * under way). Focus goes to `initialFocus` and back on close (useModalDialog).
 */
export function FormDialog({
  title,
  subtitle,
  icon,
  tone = 'accent',
  body = 'form',
  bodyClassName,
  wide = false,
  busy = false,
  noValidate = false,
  initialFocus,
  onClose,
  onSubmit,
  children,
  actions,
}: {
  title: string;
  subtitle?: string;
  /** An Icon name, or an icon element of another set. */
  icon: IconName | ReactElement;
  /** The icon's colour: the accent, or danger for a question before data is lost. */
  tone?: 'accent' | 'danger';
  /** `text`: a question's paragraphs, aligned under the title; `form`: fields across the dialog. */
  body?: 'form' | 'text';
  /** More classes for the body (its own layout). */
  bodyClassName?: string;
  wide?: boolean;
  busy?: boolean;
  /** The caller validates the fields itself (no browser bubbles). */
  noValidate?: boolean;
  initialFocus?: RefObject<HTMLElement | null>;
  onClose: () => void;
  onSubmit: () => void;
  children: ReactNode;
  actions: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useModalDialog(ref, initialFocus);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form
        method="dialog"
        noValidate={noValidate}
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) onSubmit();
        }}
      >
        <div className="dialog-head">
          <span className={`dialog-icon dialog-icon-${tone}`} aria-hidden="true">
            {typeof icon === 'string' ? <Icon name={icon} size={18} /> : icon}
          </span>
          {subtitle === undefined ? (
            <h2 id={titleId} className="dialog-title">
              {title}
            </h2>
          ) : (
            <div className="dialog-heading">
              <h2 id={titleId} className="dialog-title">
                {title}
              </h2>
              <p className="dialog-subtitle">{subtitle}</p>
            </div>
          )}
        </div>
        <div className={[body === 'form' ? 'dialog-body dialog-body-form' : 'dialog-body', bodyClassName].filter(Boolean).join(' ')}>{children}</div>
        <div className="dialog-actions">{actions}</div>
      </form>
    </dialog>
  );
}
