// Every schema step, in order. A store whose user_version is above the last one here was written by
// a newer Podbay and is refused (ErrStoreTooNew), never downgraded.
import type { Migration } from './migration.ts';
import { migration as initial } from './0001-initial.ts';
import { migration as locks } from './0002-locks.ts';
import { migration as exitCodes } from './0003-exit-codes.ts';
import { migration as volumes } from './0004-volumes.ts';

export const migrations: readonly Migration[] = [initial, locks, exitCodes, volumes];

export const latestSchemaVersion = migrations.length;
