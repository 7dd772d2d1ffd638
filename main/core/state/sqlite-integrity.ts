// SQLite's own verdict on one of the store's database files, for `system check`: shared by the
// container state (podbay.db), the image store (storage.db) and the network allocations (ipam.db).
import type { Database as Db } from 'better-sqlite3';

/** quick_check, or integrity_check and foreign_key_check, as messages; empty when the file is sound. */
export function sqliteIntegrityProblems(db: Db, quick: boolean): string[] {
  const rows = db.pragma(quick ? 'quick_check' : 'integrity_check') as Record<string, unknown>[];
  const problems = rows.map((r) => String(Object.values(r)[0])).filter((text) => text !== 'ok');
  if (!quick) {
    for (const r of db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[]) {
      problems.push(`a row of ${r.table} (rowid ${r.rowid ?? '?'}) refers to a missing row of ${r.parent}`);
    }
  }
  return problems;
}
