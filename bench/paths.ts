import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The bench bundle lives in dist/bench/; the repo root is two levels up. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli', 'podbay.js');
