import { Icon } from '../components/Icon.tsx';
import type { IconName } from '../components/Icon.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import type { RouteInfo } from '../navigation/routes.ts';

/** A page that a later issue fills: says in one line what is coming. */
export function ComingPage({ route }: { route: RouteInfo }) {
  return (
    <>
      <PageHeader title={route.label} />
      <div className="card">
        <div className="empty">
          <Icon name={route.id as IconName} size={28} />
          <p className="empty-title">Coming next</p>
          <p className="empty-text">{route.coming}</p>
        </div>
      </div>
    </>
  );
}
