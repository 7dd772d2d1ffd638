// The import directions of STYLE.md are enforced by eslint.config.js; these cases prove each rule
// bites (and that the allowed direction passes), through ESLint's own API and the real config.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`no lint result for ${filePath}`);
  // A parse failure or "file ignored" notice has no rule id: it would make every case pass vacuously.
  const unlinted = result.messages.filter((m) => m.ruleId === null);
  if (unlinted.length > 0) throw new Error(`${filePath} was not linted: ${unlinted[0]?.message}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['a renderer file importing node:fs', 'renderer/src/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['a renderer file importing fs', 'renderer/src/bad.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n"],
    ['a renderer component importing electron', 'renderer/src/Bad.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['a renderer file importing main/', 'renderer/src/bad.ts', "import { createRouter } from '../../main/ipc/router.ts';\nexport const x = createRouter;\n"],
    ['a preload importing node:child_process', 'preload/bad.ts', "import { spawn } from 'node:child_process';\nexport const x = spawn;\n"],
    ['a preload importing main/', 'preload/bad.ts', "import { createRouter } from '../main/ipc/router.ts';\nexport const x = createRouter;\n"],
    ['main/core importing electron', 'main/core/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/core importing main/electron', 'main/core/bad.ts', "import { setupIpc } from '../electron/ipc-bridge.ts';\nexport const x = setupIpc;\n"],
    ['main/ipc importing electron', 'main/ipc/bad.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"],
    ['the CLI importing electron', 'main/cli/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['shared importing react', 'shared/bad.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
    ['shared importing node:path', 'shared/bad.ts', "import { join } from 'node:path';\nexport const x = join;\n"],
  ])('fails %s', async (_name, filePath, code) => {
    expect(await importErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['a renderer file importing shared/errors.ts', 'renderer/src/good.ts', "import { PodbayError } from '../../shared/errors.ts';\nexport const x = PodbayError;\n"],
    ['a preload importing electron and shared/', 'preload/good.ts', "import { contextBridge } from 'electron';\nimport { bridgeKeys } from '../shared/bridge.ts';\nexport const x = [contextBridge, bridgeKeys];\n"],
    ['main/electron importing electron', 'main/electron/good.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/core importing node:fs', 'main/core/good.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['shared importing zod', 'shared/good.ts', "import { z } from 'zod';\nexport const x = z;\n"],
  ])('passes %s', async (_name, filePath, code) => {
    expect(await importErrors(filePath, code)).toEqual([]);
  });

  it('passes the real preload and Electron main sources with no messages at all', async () => {
    const results = await eslint.lintFiles(['preload/index.ts', 'main/index.ts', 'main/electron/']);
    expect(results.length).toBeGreaterThan(2);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.ruleId} ${m.message}`))).toEqual([]);
  });
});
