// A numbered schema step of the image store (`<graphRoot>/storage.db`), kept apart from the
// container state's steps as c/storage keeps images apart from libpod's DB. `up` runs inside the
// runner's BEGIN IMMEDIATE transaction, which also sets `PRAGMA user_version`, so a step is applied
// whole or not at all.
import type { Database } from 'better-sqlite3';

export interface StoreMigration {
  /** Equals the file's number: 0001-initial.ts has version 1. */
  readonly version: number;
  readonly name: string;
  /** Synchronous schema and data changes; never awaits. */
  up(db: Database): void;
}
