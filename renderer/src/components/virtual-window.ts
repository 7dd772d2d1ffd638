// The windowing arithmetic of VirtualTable (fixed row height), as pure functions: which rows are in
// the DOM for a scroll position, where the window sits, and where to scroll to reveal a row.

export interface WindowInput {
  readonly scrollTop: number;
  /** Height of the visible body area (below the sticky header). */
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly count: number;
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gap. */
  readonly overscan: number;
}

export interface RowWindow {
  /** First rendered row index (inclusive). */
  readonly start: number;
  /** Last rendered row index (exclusive). */
  readonly end: number;
  /** Offset of row `start` from the top of the body, in px. */
  readonly offset: number;
  /** Height of all rows, in px: the scrollable body. */
  readonly totalHeight: number;
}

export function rowWindow({ scrollTop, viewportHeight, rowHeight, count, overscan }: WindowInput): RowWindow {
  const totalHeight = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, totalHeight };
  const top = clamp(scrollTop, 0, Math.max(0, totalHeight - viewportHeight));
  const firstVisible = Math.floor(top / rowHeight);
  const lastVisible = Math.ceil((top + Math.max(viewportHeight, rowHeight)) / rowHeight);
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, lastVisible + overscan);
  return { start, end, offset: start * rowHeight, totalHeight };
}

/**
 * The scrollTop that brings row `index` fully into view with the least movement, or the current one
 * when it is already visible.
 */
export function revealScrollTop(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

/** Rows per page for PageUp/PageDown (at least one). */
export function pageSize(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

/** The row index a navigation key moves to from `current` (-1: none yet), or null for other keys. */
export function nextRowIndex(current: number, key: string, count: number, page: number): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : Math.min(last, current + 1);
    case 'ArrowUp':
      return current < 0 ? 0 : Math.max(0, current - 1);
    case 'PageDown':
      return current < 0 ? Math.min(last, page) : Math.min(last, current + page);
    case 'PageUp':
      return Math.max(0, current - page);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** The least width of a grid track, in px: '120px' → 120, 'minmax(150px, 1fr)' → 150, '1fr' → 0. */
export function minTrackWidth(track: string): number {
  const px = /(\d+(?:\.\d+)?)px/.exec(track);
  return px ? Number(px[1]) : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
