import type { ConnectionState } from '../bridge/connection-state.ts';
import { describeConnection } from '../presenters/connection-presenters.ts';
import type { EngineStatus } from '../presenters/system-presenters.ts';
import type { RouteInfo } from '../navigation/routes.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** Where am I, can this engine run containers, and is the window connected to it. */
export function TopBar({ route, engine, connection }: { route: RouteInfo; engine: EngineStatus | null; connection: ConnectionState }) {
  const link = describeConnection(connection);
  return (
    <header className="topbar">
      <div className="breadcrumb">
        <span className="breadcrumb-root">Podbay</span>
        <span className="breadcrumb-sep" aria-hidden="true">
          /
        </span>
        <span className="breadcrumb-current">{route.label}</span>
      </div>
      <div className="topbar-status" role="status" aria-label="Engine status">
        {engine ? (
          <StatusBadge tone={engine.tone} title={engine.detail}>
            {engine.label}
            <span className="badge-detail">{engine.detail}</span>
          </StatusBadge>
        ) : (
          <StatusBadge tone="neutral">Engine status unknown</StatusBadge>
        )}
        <StatusBadge tone={link.tone}>{link.label}</StatusBadge>
      </div>
    </header>
  );
}
