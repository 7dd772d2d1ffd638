import { useEffect } from 'react';
import type { RefObject } from 'react';

/**
 * Opens a native <dialog> as modal while the component is mounted (focus stays inside, Escape
 * cancels through its onCancel), focuses `initial` when given, and gives focus back to what had
 * it when the dialog goes away.
 */
export function useModalDialog(ref: RefObject<HTMLDialogElement | null>, initial?: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    initial?.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      before?.focus();
    };
  }, []);
}
