import { useRef } from 'react';
import type { ReactNode } from 'react';
import { FormDialog } from './FormDialog.tsx';

/**
 * A modal question before an action that loses data (the native <dialog>: focus stays inside,
 * Escape cancels). Mounted when needed; focus returns where it was when it goes away.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <FormDialog
      title={title}
      icon="alert"
      tone="danger"
      body="text"
      busy={busy}
      initialFocus={cancelRef}
      onClose={onCancel}
      onSubmit={onConfirm}
      actions={
        <>
          <button ref={cancelRef} type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={busy}>
            {busy && <span className="spinner spinner-small" aria-hidden="true" />}
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </FormDialog>
  );
}
