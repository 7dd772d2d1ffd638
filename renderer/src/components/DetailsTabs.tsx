import type { KeyboardEvent } from 'react';
import { ActionIcon } from './ActionIcon.tsx';
import type { ActionIconName } from './ActionIcon.tsx';

export interface DetailsTabSpec<T extends string> {
  id: T;
  label: string;
  icon: ActionIconName;
}

/** The ids that tie a details panel's tab to its tabpanel (ARIA tabs pattern). */
export function detailsTabIds(headingId: string, tab: string): { tabId: string; panelId: string } {
  return { tabId: `${headingId}-tab-${tab}`, panelId: `${headingId}-panel-${tab}` };
}

/**
 * The tab strip of a details panel (container or pod): one tab selected and focusable, arrow keys
 * move between tabs and focus the new one, as the WAI-ARIA tabs pattern asks.
 */
export function DetailsTabs<T extends string>({
  tabs,
  current,
  onSelect,
  headingId,
  label,
}: {
  tabs: readonly DetailsTabSpec<T>[];
  current: T;
  onSelect: (tab: T) => void;
  headingId: string;
  label: string;
}) {
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = tabs[(index + delta + tabs.length) % tabs.length] as DetailsTabSpec<T>;
    onSelect(next.id);
    document.getElementById(detailsTabIds(headingId, next.id).tabId)?.focus();
  };
  return (
    <div className="details-tabs" role="tablist" aria-label={label}>
      {tabs.map((t, index) => {
        const ids = detailsTabIds(headingId, t.id);
        return (
          <button
            key={t.id}
            id={ids.tabId}
            type="button"
            role="tab"
            className="details-tab"
            aria-selected={current === t.id}
            aria-controls={ids.panelId}
            tabIndex={current === t.id ? 0 : -1}
            onClick={() => onSelect(t.id)}
            onKeyDown={(e) => onTabKey(e, index)}
          >
            <ActionIcon name={t.icon} size={13} />
            {t.label}
          </button>
        );
      })}
    </div>
  );
}
