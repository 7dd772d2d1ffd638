#!/usr/bin/env node
// The installed `podbay` command: loads the built CLI bundle (npm run build makes it).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli/podbay.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('Error: podbay is not built yet: run `npm run build` in the podbay checkout\n');
  process.exit(125);
}
await import(entry.href);
