// Throw-away store directories for tests: every test gets its own graph root and run root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseStoreNetworks } from './store-networks.ts';

export interface TempStore {
  root: string;
  runRoot: string;
  dir: string;
  cleanup(): void;
}

export function makeTempStore(prefix = 'podbay-test-'): TempStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    root: join(dir, 'root'),
    runRoot: join(dir, 'run'),
    cleanup: () => {
      releaseStoreNetworks(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
