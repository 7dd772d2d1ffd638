// Finds the built renderer from wherever this module runs: the CLI bundle (dist/cli/…), the Electron
// bundle (dist/main/…) or the sources under test. PODBAY_RENDERER_DIR overrides it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function locateRendererDir(from: string = moduleDir()): string {
  const override = process.env.PODBAY_RENDERER_DIR;
  if (override) return override;
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'dist', 'renderer', 'index.html'))) return join(dir, 'dist', 'renderer');
    if (existsSync(join(dir, 'renderer', 'index.html')) && existsSync(join(dir, 'cli'))) return join(dir, 'renderer');
    if (dirname(dir) === dir) break;
  }
  // Not built: the web host answers 503 with the command that builds it.
  return join(from, 'dist', 'renderer');
}

function moduleDir(): string {
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}
