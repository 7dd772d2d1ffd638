#!/usr/bin/env node
// The installed `podbay` command: runs the built CLI (npm run build makes it). CommonJS, so Node starts
// it without its ESM loader.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'cli', 'podbay.js');
if (!existsSync(entry)) {
  process.stderr.write('Error: podbay is not built yet: run `npm run build` in the podbay checkout\n');
  process.exit(125);
}
require(entry);
