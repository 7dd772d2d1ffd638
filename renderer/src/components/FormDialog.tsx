import { useId, useRef } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { useModalDialog } from './use-modal-dialog.ts';

/**
 * A modal form: icon and title, a body and actions the caller gives. Escape closes it unless
 * `busy` (a write is under way); Enter submits. Focus goes to `initialFocus` and back on close.
 */
export function FormDialog({
  title,
  icon,
  wide = false,
  busy = false,
  initialFocus,
  onClose,
  onSubmit,
  children,
  actions,
}: {
  title: string;
  icon: IconName;
  wide?: boolean;
  busy?: boolean;
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
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <div className="dialog-head">
          <span className="dialog-icon dialog-icon-accent" aria-hidden="true">
            <Icon name={icon} size={18} />
          </span>
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
        </div>
        <div className="dialog-body dialog-body-form">{children}</div>
        <div className="dialog-actions">{actions}</div>
      </form>
    </dialog>
  );
}
