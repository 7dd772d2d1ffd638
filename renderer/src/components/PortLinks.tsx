import type { PublishedPort } from '../../../shared/types/networks.ts';
import { portLinks } from '../networks/network-presenters.ts';

/**
 * Published ports as podman ps writes them, each TCP one a link that opens the service in the
 * browser (a new tab, or the desktop's browser from Electron). `inTable`: inside a virtual table
 * row, where the grid owns the keyboard (the details panel offers the same links in tab order).
 */
export function PortLinks({ ports, inTable = false }: { ports: readonly PublishedPort[]; inTable?: boolean }) {
  if (ports.length === 0) return <span className="muted">—</span>;
  return (
    <span className="port-list">
      {portLinks(ports).map((link) =>
        link.href ? (
          <a
            key={link.key}
            className="port-link mono"
            href={link.href}
            target="_blank"
            rel="noopener noreferrer"
            title={`Open ${link.href}`}
            {...(inTable ? { tabIndex: -1, onClick: (event) => event.stopPropagation() } : {})}
          >
            {link.text}
          </a>
        ) : (
          <span key={link.key} className="port-text mono" title={link.text}>
            {link.text}
          </span>
        ),
      )}
    </span>
  );
}
