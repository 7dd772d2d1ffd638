// electron-builder cannot run here (it downloads Electron), so its config is checked the way it would
// be read: parsed as YAML and validated against electron-builder's own schema, plus what Podbay needs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
// Both come with electron-builder (a dev dependency); loaded as electron-builder itself loads them.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraMetadata: { main: string };
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  linux: { target: string[]; category: string; icon: string; desktop: { entry: Record<string, string> } };
}

const config = yaml.load(readFileSync(`${repoRoot}/electron-builder.yml`, 'utf8')) as BuilderConfig;
const packageJson = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { main: string };

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });

  it('builds Podbay as an AppImage and a deb in the Development category', () => {
    expect(config.appId).toBe('io.podbay.app');
    expect(config.productName).toBe('Podbay');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Development');
    expect(config.linux.desktop.entry.Name).toBe('Podbay');
  });

  it('packs the built app with the main entry package.json names, and writes outside dist/', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect(config.extraMetadata.main).toBe(packageJson.main);
    expect(config.directories.output).not.toMatch(/^dist\b/);
  });

  it('unpacks better-sqlite3 from the asar and rebuilds it for Electron from source', () => {
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
  });

  it('has a 512×512 RGBA PNG icon that decodes', () => {
    const png = readFileSync(`${repoRoot}/${config.linux.icon}`);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([512, 512, 8, 6]);
    const idatStart = png.indexOf('IDAT', 0, 'ascii');
    const idat = png.subarray(idatStart + 4, idatStart + 4 + png.readUInt32BE(idatStart - 4));
    expect(inflateSync(idat).length).toBe(512 * (512 * 4 + 1));
  });
});
