import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, FocusEvent, KeyboardEvent, MouseEvent, ReactNode } from 'react';
import { minTrackWidth, nextRowIndex, pageSize, revealScrollTop, rowWindow } from './virtual-window.ts';

export interface VirtualColumn<R> {
  readonly key: string;
  /** The column's name (what a screen reader announces; shown unless `headerCell` replaces it). */
  readonly header: string;
  /** A CSS grid track: '120px', 'minmax(160px, 2fr)'. */
  readonly width: string;
  readonly className?: string;
  readonly headerCell?: ReactNode;
  readonly cell: (row: R) => ReactNode;
}

export interface RowModifiers {
  /** Shift: extend from the anchor. */
  readonly range: boolean;
  /** Ctrl or Cmd: toggle this row. */
  readonly toggle: boolean;
}

export interface VirtualTableProps<R> {
  /** The grid's accessible name. */
  readonly label: string;
  readonly rows: readonly R[];
  readonly rowKey: (row: R) => string;
  readonly columns: readonly VirtualColumn<R>[];
  /** Fixed, in px: every row has this height (windowing depends on it). */
  readonly rowHeight?: number;
  readonly overscan?: number;
  readonly selected?: ReadonlySet<string>;
  readonly activeKey: string | null;
  readonly onActiveChange: (key: string) => void;
  /** A click, or a plain/Shift arrow move: the page updates the selection. */
  readonly onSelect?: (key: string, modifiers: RowModifiers) => void;
  /** Space on the active row. */
  readonly onToggle?: (key: string) => void;
  /** Enter or double-click. */
  readonly onOpen?: (key: string) => void;
  /** Ctrl/Cmd+A. */
  readonly onSelectAll?: () => void;
  /** Delete on the grid. */
  readonly onDelete?: () => void;
  /** Other keys (e.g. ←/→ to collapse/expand): return true when handled. */
  readonly onKey?: (key: string, activeKey: string | null) => boolean;
  /** For tree rows (pods and their members): the row's level (1 = top) and whether it is expanded. */
  readonly tree?: { readonly level: (row: R) => number; readonly expanded: (row: R) => boolean | undefined };
  readonly rowClassName?: (row: R) => string | undefined;
  readonly className?: string;
  /** When this changes (a new search or filter), the table scrolls back to the top. */
  readonly scrollKey?: string;
}

/**
 * A table that keeps only the rows in view (plus `overscan`) in the DOM: fixed row height, the
 * body sized to all rows so the scrollbar tells the truth, and a translated window of rows. An ARIA
 * grid: one tab stop, arrows/PageUp/PageDown/Home/End move the active row (aria-activedescendant),
 * Shift extends, Ctrl moves without selecting, Space toggles, Enter opens.
 */
export function VirtualTable<R>(props: VirtualTableProps<R>) {
  const { label, rows, rowKey, columns, rowHeight = 30, overscan = 8, selected, activeKey, onActiveChange, onSelect, onToggle, onOpen, onSelectAll, onDelete, onKey, tree, rowClassName, className, scrollKey } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLDivElement>(null);
  const idPrefix = useId();
  const [viewport, setViewport] = useState({ height: 600, headerHeight: 30 });
  const [scrollTop, setScrollTop] = useState(0);

  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const headerHeight = header.current?.offsetHeight ?? 30;
    const height = Math.max(0, el.clientHeight - headerHeight);
    setViewport((v) => (v.height === height && v.headerHeight === headerHeight ? v : { height, headerHeight }));
  }, []);

  useLayoutEffect(() => {
    measure();
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);

  const win = rowWindow({ scrollTop, viewportHeight: viewport.height, rowHeight, count: rows.length, overscan });
  // Re-render only when the window of rows changes, not on every scroll event.
  const windowRef = useRef(win);
  windowRef.current = win;
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const next = rowWindow({ scrollTop: el.scrollTop, viewportHeight: viewport.height, rowHeight, count: rows.length, overscan });
    if (next.start !== windowRef.current.start || next.end !== windowRef.current.end) setScrollTop(el.scrollTop);
  };

  // Rows removed under the scroll position: the browser clamps scrollTop; follow it.
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollTop !== scrollTop && Math.abs(el.scrollTop - scrollTop) >= rowHeight) setScrollTop(el.scrollTop);
  }, [rows.length, rowHeight, scrollTop]);

  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollTop !== 0) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [scrollKey]);

  const keys = useMemo(() => rows.map(rowKey), [rows, rowKey]);
  const activeIndex = activeKey === null ? -1 : keys.indexOf(activeKey);
  const rowId = (key: string) => `${idPrefix}-row-${key}`;

  const reveal = (index: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = revealScrollTop(index, el.scrollTop, viewport.height, rowHeight);
    if (top !== el.scrollTop) {
      el.scrollTop = top;
      setScrollTop(top);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const current = activeIndex;
    const next = nextRowIndex(current, event.key, keys.length, pageSize(viewport.height, rowHeight));
    if (next !== null) {
      event.preventDefault();
      const key = keys[next] as string;
      onActiveChange(key);
      if (!ctrl) onSelect?.(key, { range: event.shiftKey, toggle: false });
      reveal(next);
      return;
    }
    const active = current >= 0 ? (keys[current] as string) : null;
    if (event.key === ' ' && active !== null && onToggle) {
      event.preventDefault();
      onToggle(active);
    } else if (event.key === 'Enter' && active !== null && onOpen) {
      event.preventDefault();
      onOpen(active);
    } else if ((event.key === 'a' || event.key === 'A') && ctrl && onSelectAll) {
      event.preventDefault();
      onSelectAll();
    } else if (event.key === 'Delete' && onDelete) {
      event.preventDefault();
      onDelete();
    } else if (onKey?.(event.key, active)) {
      event.preventDefault();
    }
  };

  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    // Reached by Tab (not by a click on a row): make the first row in view the active one.
    if (event.target !== event.currentTarget || activeIndex !== -1 || keys.length === 0) return;
    if (!event.currentTarget.matches(':focus-visible')) return;
    const first = Math.min(Math.ceil(event.currentTarget.scrollTop / rowHeight), keys.length - 1);
    onActiveChange(keys[first] as string);
  };

  const onRowMouseDown = (event: MouseEvent) => {
    // Shift-click selects a range of rows, not the text between them.
    if (event.shiftKey) event.preventDefault();
  };

  const template = columns.map((c) => c.width).join(' ');
  const minWidth = columns.reduce((sum, c) => sum + minTrackWidth(c.width), 0);
  const style = { '--vt-cols': template, '--vt-row': `${rowHeight}px`, '--vt-min': `${minWidth}px` } as CSSProperties;
  const activeRendered = activeIndex >= win.start && activeIndex < win.end;

  return (
    <div
      ref={scroller}
      role={tree ? 'treegrid' : 'grid'}
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-multiselectable={onSelect ? true : undefined}
      aria-activedescendant={activeKey !== null && activeRendered ? rowId(activeKey) : undefined}
      tabIndex={0}
      className={className ? `vt ${className}` : 'vt'}
      style={style}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <div role="rowgroup" className="vt-head" ref={header}>
        <div role="row" aria-rowindex={1} className="vt-row vt-header-row">
          {columns.map((c) => (
            <div key={c.key} role="columnheader" className={c.className ? `vt-cell ${c.className}` : 'vt-cell'} aria-label={c.headerCell ? c.header : undefined}>
              {c.headerCell ?? c.header}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="vt-body" style={{ height: win.totalHeight }}>
        <div role="presentation" className="vt-window" style={{ transform: `translateY(${win.offset}px)` }}>
          {rows.slice(win.start, win.end).map((row, i) => {
            const index = win.start + i;
            const key = keys[index] as string;
            const isSelected = selected?.has(key) ?? false;
            const extra = rowClassName?.(row);
            const classes = ['vt-row', isSelected ? 'is-selected' : '', key === activeKey ? 'is-active' : '', extra ?? ''].filter(Boolean).join(' ');
            return (
              <div
                key={key}
                id={rowId(key)}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={onSelect ? isSelected : undefined}
                aria-level={tree ? tree.level(row) : undefined}
                aria-expanded={tree ? tree.expanded(row) : undefined}
                className={classes}
                onMouseDown={onRowMouseDown}
                onClick={(event) => {
                  onActiveChange(key);
                  onSelect?.(key, { range: event.shiftKey, toggle: event.ctrlKey || event.metaKey });
                }}
                onDoubleClick={() => onOpen?.(key)}
              >
                {columns.map((c) => (
                  <div key={c.key} role="gridcell" className={c.className ? `vt-cell ${c.className}` : 'vt-cell'}>
                    {c.cell(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** A row's checkbox: toggles the row without the click also selecting only that row. */
export function RowCheckbox({ checked, label, onToggle }: { checked: boolean; label: string; onToggle: () => void }) {
  return (
    <input
      type="checkbox"
      className="vt-check"
      tabIndex={-1}
      checked={checked}
      aria-label={label}
      onClick={(event) => event.stopPropagation()}
      onChange={onToggle}
    />
  );
}

/** The header checkbox: all rows shown selected, some (indeterminate) or none. */
export function AllCheckbox({ state, label, onToggle, disabled }: { state: 'none' | 'some' | 'all'; label: string; onToggle: () => void; disabled?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'some';
  }, [state]);
  return <input ref={ref} type="checkbox" className="vt-check" checked={state === 'all'} aria-label={label} onChange={onToggle} disabled={disabled} />;
}
