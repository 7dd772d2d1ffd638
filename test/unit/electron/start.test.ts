// scripts/start.mjs decides between the Electron window and the web host without ever requiring the
// electron package (which would download its binary). Checked against throw-away package layouts.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface StartCommand {
  kind: 'electron' | 'web';
  notice?: string;
  command: string;
  args: string[];
}
interface StartScript {
  buildOutputs: string[];
  needsBuild(root: string): boolean;
  electronBinary(root: string, env: Record<string, string | undefined>): string | null;
  hasDisplay(env: Record<string, string | undefined>): boolean;
  startCommand(options: { root: string; env: Record<string, string | undefined>; args: string[]; uid: number; node: string }): StartCommand;
}

// A computed specifier: the script is plain .mjs with no type declarations.
const scriptUrl = new URL('../../../scripts/start.mjs', import.meta.url).href;
const start = (await import(scriptUrl)) as StartScript;

let root = '';
const write = (path: string, text = '') => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const installElectron = () => {
  write('node_modules/electron/index.js', 'throw new Error("requiring electron downloads it")');
  write('node_modules/electron/path.txt', 'electron');
  write('node_modules/electron/dist/electron', '#!/bin/sh\n');
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'podbay-start-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('electronBinary', () => {
  it('finds the binary named by path.txt in the package dist folder', () => {
    installElectron();
    expect(start.electronBinary(root, {})).toBe(join(root, 'node_modules/electron/dist/electron'));
  });

  it('is null when the installer never ran (no path.txt), as on these machines', () => {
    write('node_modules/electron/index.js');
    expect(start.electronBinary(root, {})).toBeNull();
  });

  it('is null when path.txt names a binary that is not there', () => {
    write('node_modules/electron/path.txt', 'electron');
    expect(start.electronBinary(root, {})).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as the electron package does', () => {
    write('node_modules/electron/path.txt', 'electron');
    write('custom/electron');
    expect(start.electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: join(root, 'custom') })).toBe(join(root, 'custom/electron'));
  });
});

describe('startCommand', () => {
  const base = { args: ['--port', '8080', '--no-open'], uid: 1000, node: '/usr/bin/node' };

  it('starts Electron with the app folder when the binary and a display exist', () => {
    installElectron();
    const command = start.startCommand({ ...base, root, env: { DISPLAY: ':0' } });
    expect(command).toMatchObject({ kind: 'electron', command: join(root, 'node_modules/electron/dist/electron'), args: [root, '--port', '8080', '--no-open'] });
    expect(command.notice).toBeUndefined();
  });

  it('adds --no-sandbox for root only, since Chromium refuses root otherwise', () => {
    installElectron();
    expect(start.startCommand({ ...base, uid: 0, root, env: { WAYLAND_DISPLAY: 'wayland-0' } }).args[0]).toBe('--no-sandbox');
  });

  it('serves the web host, passing the arguments through, when the binary is missing', () => {
    const command = start.startCommand({ ...base, root, env: { DISPLAY: ':0' } });
    expect(command).toMatchObject({ kind: 'web', command: '/usr/bin/node', args: [join(root, 'dist/cli/podbay.js'), 'serve', '--port', '8080', '--no-open'] });
    expect(command.notice).toMatch(/^Electron's binary is not installed/);
    expect(command.notice).not.toContain('\n');
  });

  it('serves the web host when there is no display', () => {
    installElectron();
    const command = start.startCommand({ ...base, root, env: {} });
    expect(command.kind).toBe('web');
    expect(command.notice).toMatch(/No display/);
  });
});

describe('needsBuild', () => {
  const buildAll = (mtime: Date) => {
    for (const output of start.buildOutputs) {
      write(output);
      utimesSync(join(root, output), mtime, mtime);
    }
  };

  it('builds when an output is missing', () => {
    write('main/index.ts');
    expect(start.needsBuild(root)).toBe(true);
  });

  it('does not build when every output is newer than every source', () => {
    write('main/index.ts');
    utimesSync(join(root, 'main/index.ts'), new Date(1_000_000), new Date(1_000_000));
    utimesSync(join(root, 'main'), new Date(1_000_000), new Date(1_000_000));
    buildAll(new Date(2_000_000));
    expect(start.needsBuild(root)).toBe(false);
  });

  it('builds when a nested source changed after the build', () => {
    write('renderer/src/pages/system-page.tsx');
    buildAll(new Date(2_000_000));
    const later = new Date(3_000_000);
    utimesSync(join(root, 'renderer/src/pages/system-page.tsx'), later, later);
    for (const dir of ['renderer', 'renderer/src', 'renderer/src/pages']) utimesSync(join(root, dir), new Date(1_000_000), new Date(1_000_000));
    expect(start.needsBuild(root)).toBe(true);
  });
});
