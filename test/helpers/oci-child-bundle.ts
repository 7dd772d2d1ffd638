// Bundles oci-create-child.ts into a plain .mjs that `node` runs without a TypeScript loader.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export async function bundleOciCreateChild(outDir: string): Promise<string> {
  const outfile = join(outDir, 'oci-create-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./oci-create-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}
