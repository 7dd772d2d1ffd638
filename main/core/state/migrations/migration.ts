// A numbered schema step (Signal-Desktop style): `up` runs inside the runner's BEGIN IMMEDIATE
// transaction, which also sets `PRAGMA user_version = version`, so a step is applied whole or not at all.
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Equals the file's number: 0001-initial.ts has version 1. */
  readonly version: number;
  readonly name: string;
  /** Synchronous schema and data changes; never awaits (better-sqlite3 transactions are synchronous). */
  up(db: Database): void;
}
