// The user's subordinate ID ranges from /etc/subuid and /etc/subgid (shadow-utils' subid(5) format:
// `name-or-uid:start:count`), read as newuidmap reads them: an entry matches the user's name or their
// numeric ID, and every matching line counts.
import { readFile } from 'node:fs/promises';
import type { SubordinateRange } from '../../../shared/types/system-info.ts';

export interface SubordinateOwner {
  name: string;
  id: number;
}

/** The ranges of one owner in a subid file's text; malformed lines are skipped, as shadow-utils does. */
export function parseSubordinateIds(text: string, owner: SubordinateOwner): SubordinateRange[] {
  const ranges: SubordinateRange[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [who, start, count, ...rest] = line.split(':');
    if (rest.length > 0 || who === undefined || start === undefined || count === undefined) continue;
    if (who !== owner.name && who !== String(owner.id)) continue;
    if (!/^\d+$/.test(start) || !/^\d+$/.test(count)) continue;
    const range = { start: Number(start), count: Number(count) };
    if (range.count > 0 && Number.isSafeInteger(range.start + range.count)) ranges.push(range);
  }
  return ranges;
}

/** A missing file means no ranges (the fix then creates the entry). */
export async function readSubordinateIds(path: string, owner: SubordinateOwner): Promise<SubordinateRange[]> {
  try {
    return parseSubordinateIds(await readFile(path, 'utf8'), owner);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
