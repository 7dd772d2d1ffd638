// Line icons (24×24, stroke = currentColor), drawn as SVG elements so the strict CSP needs no
// image or font exception. Decorative: always aria-hidden; the text beside them is the label.

const paths = {
  containers: 'M21 8 12 3 3 8v8l9 5 9-5V8ZM3 8l9 5 9-5M12 13v8',
  pods: 'M7.5 4.5 12 2l4.5 2.5v5L12 12 7.5 9.5v-5ZM3 12.5 7.5 10l4.5 2.5v5L7.5 20 3 17.5v-5ZM12 12.5l4.5-2.5 4.5 2.5v5L16.5 20 12 17.5v-5Z',
  images: 'm12 3 9 4.5-9 4.5-9-4.5L12 3ZM3 12l9 4.5 9-4.5M3 16.5 12 21l9-4.5',
  volumes: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3Zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  registries: 'M7 18a4.5 4.5 0 0 1-.6-9 6 6 0 0 1 11.5 1.5A3.8 3.8 0 0 1 17.5 18H7ZM12 10v6m-2.5-2.5L12 16l2.5-2.5',
  events: 'M3 12h4l3-8 4 16 3-8h4',
  system: 'M9 3v2m6-2v2M9 19v2m6-2v2M3 9h2m-2 6h2m14-6h2m-2 6h2M7 5h10a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2Zm3 5h4v4h-4v-4Z',
  copy: 'M9 9h10v12H9V9Zm-4 6H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1',
  check: 'm5 12 5 5L20 7',
  alert: 'M12 9v4m0 4h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  error: 'M12 8v4m0 4h.01M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z',
  refresh: 'M20 11A8 8 0 0 0 5.3 6.3L3 8.5M3 3v5.5h5.5M4 13a8 8 0 0 0 14.7 4.7L21 15.5m0 5.5v-5.5h-5.5',
  trash: 'M4 7h16M10 11v6m4-6v6M5 7l1 12a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2l1-12M9 7V4h6v3',
  search: 'm21 21-4.3-4.3M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14Z',
  plug: 'M9 2v5m6-5v5M6 7h12v4a6 6 0 0 1-12 0V7Zm6 10v5',
  close: 'M6 6l12 12M18 6 6 18',
  chevron: 'm9 6 6 6-6 6',
  download: 'M12 4v11m-4.5-4.5L12 15l4.5-4.5M5 19h14',
  upload: 'M12 15V4m-4.5 4.5L12 4l4.5 4.5M5 19h14',
  tag: 'M3 12.2V4a1 1 0 0 1 1-1h8.2a1 1 0 0 1 .7.3l7.8 7.8a1 1 0 0 1 0 1.4l-8.2 8.2a1 1 0 0 1-1.4 0l-7.8-7.8a1 1 0 0 1-.3-.7ZM8 8h.01',
  tasks: 'M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01',
  inspect: 'M8 4H6a2 2 0 0 0-2 2v3a2 2 0 0 1-2 2 2 2 0 0 1 2 2v3a2 2 0 0 0 2 2h2m8-16h2a2 2 0 0 1 2 2v3a2 2 0 0 0 2 2 2 2 0 0 0-2 2v3a2 2 0 0 1-2 2h-2',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}

export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="8" className="logo-bg" />
      <path d="M8 20.5c2.5 2.2 5 3.3 8 3.3s5.5-1.1 8-3.3" className="logo-wave" />
      <path d="M10 9h5v5h-5zM17 9h5v5h-5zM13.5 15h5v5h-5z" className="logo-boxes" />
    </svg>
  );
}
