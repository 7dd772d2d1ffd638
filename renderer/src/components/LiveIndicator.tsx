// Whether a list page is following system.events, and the way back when it is not: one component for
// every live list (Containers, Pods, Images) so they say it the same way.
import { useEventStatus } from '../containers/use-event-status.ts';
import { useEngine } from '../query/use-engine.ts';
import { Icon } from './Icon.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export function LiveIndicator() {
  const engine = useEngine();
  const live = useEventStatus();
  if (live === 'live') {
    return (
      <StatusBadge tone="ok" title="Updated from system.events">
        Live
      </StatusBadge>
    );
  }
  return (
    <>
      <StatusBadge tone="warning">Not live</StatusBadge>
      <button type="button" className="button" onClick={() => engine.events.restart()}>
        <Icon name="refresh" size={14} />
        Resubscribe
      </button>
    </>
  );
}
