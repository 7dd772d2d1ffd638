// Every image-store schema step, in order. A store whose user_version is above the last one here was
// written by a newer Podbay and is refused (ErrStoreTooNew), never downgraded.
import type { StoreMigration } from './migration.ts';
import { migration as initial } from './0001-initial.ts';

export const storeMigrations: readonly StoreMigration[] = [initial];

export const latestStoreVersion = storeMigrations.length;
