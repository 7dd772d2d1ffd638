import type { ConnectionMonitor, ConnectionState } from '../bridge/connection-state.ts';
import { describeConnection } from '../presenters/connection-presenters.ts';
import { Icon } from './Icon.tsx';

export function ConnectionBanner({ state, monitor }: { state: ConnectionState; monitor: ConnectionMonitor }) {
  const view = describeConnection(state);
  if (!view.banner) return null;
  return (
    <div className={`banner banner-${view.tone}`} role="alert">
      <Icon name="plug" size={16} />
      <span className="banner-text">{view.banner}</span>
      <button type="button" className="button button-small" onClick={() => monitor.retryNow()}>
        Retry now
      </button>
    </div>
  );
}
