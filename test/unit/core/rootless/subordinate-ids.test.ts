import { describe, expect, it } from 'vitest';
import { parseSubordinateIds } from '../../../../main/core/rootless/subordinate-ids.ts';

describe('parseSubordinateIds', () => {
  const text = ['# comment', 'alice:100000:65536', 'bob:165536:65536', '1000:300000:1000', 'alice:bad:10', 'alice:1:0', 'alice:1:2:3', ''].join('\n');

  it('returns every range whose owner is the name or the numeric uid, skipping malformed lines', () => {
    expect(parseSubordinateIds(text, { name: 'alice', id: 1000 })).toEqual([
      { start: 100000, count: 65536 },
      { start: 300000, count: 1000 },
    ]);
  });

  it('returns nothing for a user without an entry', () => {
    expect(parseSubordinateIds(text, { name: 'carol', id: 1002 })).toEqual([]);
  });
});
