// The containers.conf-style config reader (podbay.conf) fuzzed: random text, and TOML made of its
// own sections and keys with values of every type. It yields overrides or refuses with ErrInvalidArg
// naming the file, and what it accepts resolves to a configuration or a typed refusal.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfigFile, resolveRuntimeConfig } from '../../../main/core/runtime-config.ts';
import { fakeProbe } from '../../helpers/core-store.ts';
import { fuzzCounts, typedOrValue, useFuzzDir } from '../../helpers/fuzz-outcome.ts';
import { recordSoak, scale } from '../../helpers/soak.ts';

const sections: Record<string, string[]> = {
  containers: ['pids_limit', 'label'],
  engine: ['runtime', 'runtimes', 'conmon_path', 'conmon_env_vars', 'cgroup_manager', 'image_default_transport', 'events_logfile_path'],
  storage: ['driver', 'graphroot', 'runroot'],
  registries: ['search', 'insecure'],
  image: ['signature_policy_path'],
  unknown: ['key'],
};

const tomlString = fc.string({ maxLength: 60 }).map((s) => JSON.stringify(s));
const tomlValue = fc.oneof(
  tomlString,
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n).includes('.') || String(n).includes('e') ? String(n) : `${n}.0`),
  fc.boolean().map(String),
  fc.array(tomlString, { maxLength: 5 }).map((a) => `[${a.join(', ')}]`),
  fc.dictionary(fc.constantFrom('crun', 'runc', 'x'), tomlString, { maxKeys: 3 }).map((d) => `{ ${Object.entries(d).map(([k, v]) => `${k} = ${v}`).join(', ')} }`),
  fc.constantFrom('"../../etc"', '"relative/path"', '"/abs/path"', '-1', '99999999999999999', '"systemd"', '"cgroupfs"', '"vfs"', '"overlay"', '"btrfs"'),
);
const tomlDocument = fc
  .array(fc.tuple(fc.constantFrom(...Object.keys(sections)), fc.array(fc.tuple(fc.nat(), tomlValue), { maxLength: 6 })), { maxLength: 5 })
  .map((tables) => tables.map(([section, entries]) => `[${section}]\n${entries.map(([i, v]) => `${sections[section]![i % sections[section]!.length]} = ${v}`).join('\n')}\n`).join('\n'));


const fuzzTimeout = scale(30_000, 1_800_000);
describe('the podbay.conf reader', () => {
  const counts = fuzzCounts();
  const dir = useFuzzDir('podbay-conf-fuzz-', () => recordSoak({ suite: 'fuzz: podbay.conf (containers.conf) reader', hostileInputs: counts.inputs, typedErrors: counts.typed, crashes: 0 }));

  const readAndResolve = (text: string) =>
    typedOrValue(counts, () => {
      const path = join(dir(), 'podbay.conf');
      writeFileSync(path, text);
      readConfigFile(path);
      return resolveRuntimeConfig({ mode: 'rootful', configFiles: [path], probe: fakeProbe, overrides: {}, busyTimeoutMs: null });
    });

  it('refuses random text typed', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1'))), async (text) => void (await readAndResolve(text))), { numRuns: scale(300, 20_000) });
  }, fuzzTimeout);

  it('reads TOML of its own keys with hostile values into a configuration or a typed refusal', async () => {
    await fc.assert(
      fc.asyncProperty(tomlDocument, async (text) => {
        const config = await readAndResolve(text);
        if (config) expect(config.storage.graphRoot.startsWith('/')).toBe(true);
      }),
      { numRuns: scale(300, 20_000) },
    );
  }, fuzzTimeout);
});
