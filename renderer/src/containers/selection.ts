// Row selection as desktop lists do it, as pure functions over the keys in display order: a click
// selects one row, Ctrl/Cmd-click toggles one, Shift-click selects the range from the anchor
// (Ctrl+Shift adds it), and the keyboard moves, extends or toggles the same way.

export interface Selection {
  readonly selected: ReadonlySet<string>;
  /** Where a Shift range starts: the last row clicked or toggled. */
  readonly anchor: string | null;
}

export const emptySelection: Selection = { selected: new Set(), anchor: null };

export interface SelectModifiers {
  /** Shift: a range from the anchor. */
  readonly range?: boolean;
  /** Ctrl or Cmd: toggle, or add the range to what is selected. */
  readonly toggle?: boolean;
}

/** A click (or keyboard move) on `key` among `keys` (the rows shown, in order). */
export function selectRow(selection: Selection, keys: readonly string[], key: string, modifiers: SelectModifiers = {}): Selection {
  if (modifiers.range) {
    const from = selection.anchor !== null ? keys.indexOf(selection.anchor) : -1;
    const to = keys.indexOf(key);
    if (to === -1) return selection;
    const start = from === -1 ? to : Math.min(from, to);
    const end = from === -1 ? to : Math.max(from, to);
    const range = keys.slice(start, end + 1);
    const selected = modifiers.toggle ? new Set([...selection.selected, ...range]) : new Set(range);
    return { selected, anchor: from === -1 ? key : selection.anchor };
  }
  if (modifiers.toggle) return toggleRow(selection, key);
  return { selected: new Set([key]), anchor: key };
}

export function toggleRow(selection: Selection, key: string): Selection {
  const selected = new Set(selection.selected);
  if (selected.has(key)) selected.delete(key);
  else selected.add(key);
  return { selected, anchor: key };
}

/** The header checkbox: selects every row shown, or clears when all are already selected. */
export function toggleAll(selection: Selection, keys: readonly string[]): Selection {
  if (keys.length > 0 && keys.every((k) => selection.selected.has(k))) return { selected: new Set(), anchor: null };
  return { selected: new Set(keys), anchor: selection.anchor };
}

/** Keeps only rows still shown (after a filter or a removal); the same object when nothing changes. */
export function pruneSelection(selection: Selection, keys: Iterable<string>): Selection {
  const shown = keys instanceof Set ? (keys as Set<string>) : new Set(keys);
  if ([...selection.selected].every((k) => shown.has(k)) && (selection.anchor === null || shown.has(selection.anchor))) return selection;
  return { selected: new Set([...selection.selected].filter((k) => shown.has(k))), anchor: selection.anchor !== null && shown.has(selection.anchor) ? selection.anchor : null };
}

export type AllState = 'none' | 'some' | 'all';

/** How the header checkbox looks: unchecked, indeterminate or checked. */
export function allState(selection: Selection, keys: readonly string[]): AllState {
  let count = 0;
  for (const key of keys) if (selection.selected.has(key)) count++;
  return count === 0 ? 'none' : count === keys.length ? 'all' : 'some';
}
