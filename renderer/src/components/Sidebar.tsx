import { useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { hashFor, nextNavIndex, routes } from '../navigation/routes.ts';
import type { RouteId } from '../navigation/routes.ts';
import { Icon, Logo } from './Icon.tsx';
import type { IconName } from './Icon.tsx';

/** The main navigation: links (Tab reaches them; ↑/↓/Home/End move between them). */
export function Sidebar({ current, version, footer }: { current: RouteId; version: string | null; footer: ReactNode }) {
  const list = useRef<HTMLUListElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const links = [...(list.current?.querySelectorAll<HTMLAnchorElement>('a') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = nextNavIndex(index === -1 ? 0 : index, event.key, links.length);
    if (next === null) return;
    event.preventDefault();
    links[next]?.focus();
  };

  const workloads = routes.filter((r) => r.id !== 'events' && r.id !== 'system');
  const engine = routes.filter((r) => r.id === 'events' || r.id === 'system');

  return (
    <aside className="sidebar">
      <div className="brand">
        <Logo />
        <span className="brand-name">Podbay</span>
        {version && <span className="brand-version">{version}</span>}
      </div>
      <nav aria-label="Main">
        <ul ref={list} className="nav-list" onKeyDown={onKeyDown}>
          <li className="nav-section" aria-hidden="true">
            Workloads
          </li>
          {workloads.map((route) => (
            <NavItem key={route.id} id={route.id} label={route.label} current={current === route.id} />
          ))}
          <li className="nav-section" aria-hidden="true">
            Engine
          </li>
          {engine.map((route) => (
            <NavItem key={route.id} id={route.id} label={route.label} current={current === route.id} />
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">{footer}</div>
    </aside>
  );
}

function NavItem({ id, label, current }: { id: RouteId; label: string; current: boolean }) {
  return (
    <li>
      <a className="nav-link" href={hashFor(id)} aria-current={current ? 'page' : undefined}>
        <Icon name={id as IconName} size={17} />
        <span>{label}</span>
      </a>
    </li>
  );
}
