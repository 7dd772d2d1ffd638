import { describe, expect, it } from 'vitest';
import { allState, emptySelection, pruneSelection, selectRow, toggleAll, toggleRow } from '../../../renderer/src/containers/selection.ts';

const keys = ['a', 'b', 'c', 'd', 'e'];
const selected = (s: { selected: ReadonlySet<string> }) => [...s.selected].sort();

describe('row selection', () => {
  it('selects one row on a plain click', () => {
    const s = selectRow(selectRow(emptySelection, keys, 'a'), keys, 'c');
    expect(selected(s)).toEqual(['c']);
    expect(s.anchor).toBe('c');
  });

  it('toggles with Ctrl/Cmd-click and keeps the rest', () => {
    let s = selectRow(emptySelection, keys, 'a');
    s = selectRow(s, keys, 'c', { toggle: true });
    expect(selected(s)).toEqual(['a', 'c']);
    s = selectRow(s, keys, 'a', { toggle: true });
    expect(selected(s)).toEqual(['c']);
    expect(selected(toggleRow(s, 'e'))).toEqual(['c', 'e']);
  });

  it('selects the range from the anchor with Shift-click, in either direction', () => {
    let s = selectRow(emptySelection, keys, 'b');
    s = selectRow(s, keys, 'd', { range: true });
    expect(selected(s)).toEqual(['b', 'c', 'd']);
    s = selectRow(s, keys, 'a', { range: true });
    expect(selected(s)).toEqual(['a', 'b']);
    expect(s.anchor).toBe('b');
  });

  it('adds the range to the selection with Ctrl+Shift', () => {
    let s = selectRow(emptySelection, keys, 'a');
    s = selectRow(s, keys, 'd', { toggle: true });
    s = selectRow(s, keys, 'e', { range: true, toggle: true });
    expect(selected(s)).toEqual(['a', 'd', 'e']);
  });

  it('selects all shown rows, or clears when all are selected', () => {
    const all = toggleAll(emptySelection, keys);
    expect(selected(all)).toEqual(keys);
    expect(allState(all, keys)).toBe('all');
    expect(allState(toggleRow(all, 'a'), keys)).toBe('some');
    expect(allState(toggleAll(all, keys), keys)).toBe('none');
  });

  it('drops rows no longer shown, and keeps the same object when nothing changes', () => {
    const s = selectRow(selectRow(emptySelection, keys, 'a'), keys, 'c', { toggle: true });
    expect(pruneSelection(s, keys)).toBe(s);
    const pruned = pruneSelection(s, ['a', 'b']);
    expect(selected(pruned)).toEqual(['a']);
    expect(pruned.anchor).toBeNull();
  });
});
