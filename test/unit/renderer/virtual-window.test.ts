import { describe, expect, it } from 'vitest';
import { minTrackWidth, nextRowIndex, pageSize, revealScrollTop, rowWindow } from '../../../renderer/src/components/virtual-window.ts';

describe('rowWindow', () => {
  const base = { rowHeight: 30, overscan: 5, viewportHeight: 600 };

  it('renders only the rows in view plus the overscan', () => {
    const win = rowWindow({ ...base, scrollTop: 0, count: 1000 });
    expect(win).toEqual({ start: 0, end: 25, offset: 0, totalHeight: 30000 });
    const mid = rowWindow({ ...base, scrollTop: 15000, count: 1000 });
    expect(mid.start).toBe(495);
    expect(mid.end).toBe(525);
    expect(mid.offset).toBe(495 * 30);
  });

  it('shows the last rows at the end of the scroll, and clamps an overscroll', () => {
    const end = rowWindow({ ...base, scrollTop: 30000 - 600, count: 1000 });
    expect(end.end).toBe(1000);
    expect(end.start).toBe(975);
    expect(rowWindow({ ...base, scrollTop: 99999, count: 1000 })).toEqual(end);
  });

  it('renders everything when it all fits, and nothing for no rows', () => {
    expect(rowWindow({ ...base, scrollTop: 0, count: 7 })).toEqual({ start: 0, end: 7, offset: 0, totalHeight: 210 });
    expect(rowWindow({ ...base, scrollTop: 0, count: 0 })).toEqual({ start: 0, end: 0, offset: 0, totalHeight: 0 });
  });

  it('keeps a partly visible row in the window', () => {
    const win = rowWindow({ rowHeight: 30, overscan: 0, viewportHeight: 100, scrollTop: 45, count: 100 });
    expect(win.start).toBe(1);
    expect(win.end).toBe(5);
  });
});

describe('revealScrollTop', () => {
  it('scrolls the least to bring a row fully into view', () => {
    expect(revealScrollTop(10, 0, 300, 30)).toBe(30);
    expect(revealScrollTop(2, 300, 300, 30)).toBe(60);
    expect(revealScrollTop(12, 300, 300, 30)).toBe(300);
    expect(revealScrollTop(0, 0, 300, 30)).toBe(0);
  });
});

describe('keyboard moves', () => {
  it('moves by one, by a page and to the ends, within bounds', () => {
    expect(nextRowIndex(-1, 'ArrowDown', 10, 5)).toBe(0);
    expect(nextRowIndex(3, 'ArrowDown', 10, 5)).toBe(4);
    expect(nextRowIndex(9, 'ArrowDown', 10, 5)).toBe(9);
    expect(nextRowIndex(0, 'ArrowUp', 10, 5)).toBe(0);
    expect(nextRowIndex(2, 'PageDown', 10, 5)).toBe(7);
    expect(nextRowIndex(8, 'PageDown', 10, 5)).toBe(9);
    expect(nextRowIndex(3, 'PageUp', 10, 5)).toBe(0);
    expect(nextRowIndex(3, 'End', 10, 5)).toBe(9);
    expect(nextRowIndex(3, 'Home', 10, 5)).toBe(0);
    expect(nextRowIndex(3, 'Enter', 10, 5)).toBeNull();
    expect(nextRowIndex(0, 'ArrowDown', 0, 5)).toBeNull();
    expect(pageSize(600, 30)).toBe(19);
    expect(pageSize(10, 30)).toBe(1);
  });
});

describe('minTrackWidth', () => {
  it('reads the least width of a grid track', () => {
    expect(minTrackWidth('36px')).toBe(36);
    expect(minTrackWidth('minmax(150px, 1.3fr)')).toBe(150);
    expect(minTrackWidth('1fr')).toBe(0);
  });
});
