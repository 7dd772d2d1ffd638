// Line icons for container actions and the details tabs (same 24×24 stroke style as Icon.tsx, kept
// apart so each page's icons stay with the page that owns them). Decorative: aria-hidden.

const paths = {
  play: 'M7 4.5v15l12-7.5-12-7.5Z',
  stop: 'M6.5 6.5h11v11h-11z',
  pause: 'M8 5v14m8-14v14',
  restart: 'M4 12a8 8 0 1 0 2.4-5.7L4 8.5M4 3.5v5h5',
  kill: 'M13 3 5 13.5h6L10 21l9-11.5h-6L13 3Z',
  terminal: 'm5 8 4 4-4 4m6 1h8M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1Z',
  logs: 'M5 5h14M5 9.5h14M5 14h9M5 18.5h6',
  console: 'M3 5a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5Zm4 5 3 2-3 2m5 0h4',
  plus: 'M12 5v14M5 12h14',
  details: 'M4 5h16v14H4zM13 5v14M15.5 9h2m-2 3h2m-2 3h2',
} as const;

export type ActionIconName = keyof typeof paths;

export function ActionIcon({ name, size = 14 }: { name: ActionIconName; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.75} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={paths[name]} />
    </svg>
  );
}
