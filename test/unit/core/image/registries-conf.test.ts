import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasCode, PodbayError } from '../../../../shared/errors.ts';
import {
  findRegistry,
  isInsecureRegistry,
  loadRegistriesConf,
  parseRegistriesConf,
  pullSource,
  resolveShortName,
} from '../../../../main/core/image/registries-conf.ts';
import { formatReference, parseNormalizedReference } from '../../../../main/core/image/reference.ts';

const conf = parseRegistriesConf(`
unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
short-name-mode = "permissive"

[[registry]]
location = "127.0.0.1:5000"
insecure = true

[[registry]]
prefix = "example.com/foo"
location = "mirror.internal:5000/bar"

[[registry]]
location = "example.com"

[[registry]]
location = "evil.io"
blocked = true

[[registry]]
prefix = "*.corp.example"
insecure = true

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"tools/jq" = "quay.io/tools/jq"
`);

describe('parseRegistriesConf', () => {
  it('reads search registries, registries and aliases', () => {
    expect(conf.unqualifiedSearchRegistries).toEqual(['registry.fedoraproject.org', 'quay.io', 'docker.io']);
    expect(conf.aliases.get('fedora')).toBe('registry.fedoraproject.org/fedora');
    expect(conf.registries).toHaveLength(5);
  });

  it.each([
    ['unqualified-search-registries = "docker.io"', 'a string instead of an array'],
    ['short-name-mode = "lax"', 'an unknown mode'],
    ['[[registry]]\nlocation = "https://x.io"', 'a scheme in the location'],
    ['[[registry]]\ninsecure = "yes"\nlocation = "x.io"', 'a non-boolean flag'],
    ['[aliases]\n"docker.io/x" = "quay.io/x"', 'a qualified alias key'],
    ['[aliases]\n"x" = "x"', 'an unqualified alias target'],
    ['[aliases]\n"x" = "quay.io/x:1"', 'an alias target with a tag'],
    ['[registries.search]\nregistries = ["x.io"]', 'the v1 format'],
    ['this is = not toml ]', 'broken TOML'],
  ])('refuses %j (%s) with ErrInvalidArg', (text) => {
    let caught: unknown;
    try {
      parseRegistriesConf(text);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });

  it('never throws untyped errors on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseRegistriesConf(text);
        } catch (error) {
          expect(error).toBeInstanceOf(PodbayError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('registry matching', () => {
  it('uses the longest prefix and rewrites the location', () => {
    const src = pullSource(conf, parseNormalizedReference('example.com/foo/app:1'));
    expect(formatReference(src.ref)).toBe('mirror.internal:5000/bar/app:1');
    expect(formatReference(pullSource(conf, parseNormalizedReference('example.com/other')).ref)).toBe('example.com/other');
  });

  it('matches at component boundaries only', () => {
    expect(findRegistry(conf, parseNormalizedReference('example.com/foobar/x'))?.prefix).toBe('example.com');
  });

  it('marks insecure registries, including wildcard prefixes', () => {
    expect(isInsecureRegistry(conf, '127.0.0.1:5000')).toBe(true);
    expect(isInsecureRegistry(conf, '127.0.0.1:5001')).toBe(false);
    expect(pullSource(conf, parseNormalizedReference('a.corp.example/x')).insecure).toBe(true);
  });

  it('refuses blocked registries', () => {
    let caught: unknown;
    try {
      pullSource(conf, parseNormalizedReference('evil.io/x'));
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });
});

describe('resolveShortName', () => {
  it('uses an alias, keeping the tag', () => {
    const r = resolveShortName(conf, 'fedora:40');
    expect(r.origin).toBe('alias');
    expect(r.candidates.map(formatReference)).toEqual(['registry.fedoraproject.org/fedora:40']);
    expect(resolveShortName(conf, 'tools/jq').candidates.map(formatReference)).toEqual(['quay.io/tools/jq']);
  });

  it('tries every search registry in order otherwise, normalizing docker.io', () => {
    const r = resolveShortName(conf, 'busybox');
    expect(r.origin).toBe('search');
    expect(r.candidates.map(formatReference)).toEqual([
      'registry.fedoraproject.org/busybox',
      'quay.io/busybox',
      'docker.io/library/busybox',
    ]);
  });

  it('leaves qualified names alone', () => {
    expect(resolveShortName(conf, '127.0.0.1:5000/busybox').candidates.map(formatReference)).toEqual(['127.0.0.1:5000/busybox']);
  });

  it('refuses an ambiguous short name in enforcing mode without a prompt, and a name with nowhere to go', () => {
    const enforcing = parseRegistriesConf('short-name-mode = "enforcing"', 'drop-in', conf);
    expect(() => resolveShortName(enforcing, 'busybox')).toThrow(/ambiguous/);
    expect(resolveShortName(enforcing, 'busybox', { interactive: true }).candidates).toHaveLength(3);
    const empty = parseRegistriesConf('');
    let caught: unknown;
    try {
      resolveShortName(empty, 'busybox');
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });
});

describe('loadRegistriesConf', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the first main file and then drop-ins in order, later ones winning', () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-regconf-'));
    writeFileSync(join(dir, 'main.conf'), 'unqualified-search-registries = ["a.io"]\n[aliases]\n"x" = "a.io/x"\n');
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', '10-b.conf'), 'unqualified-search-registries = ["b.io"]\n');
    writeFileSync(join(dir, 'd', '20-c.conf'), '[aliases]\n"x" = ""\n"y" = "c.io/y"\n');
    const loaded = loadRegistriesConf({ main: [join(dir, 'missing.conf'), join(dir, 'main.conf')], dropInDirs: [join(dir, 'd')] });
    expect(loaded.unqualifiedSearchRegistries).toEqual(['b.io']);
    expect(loaded.aliases.has('x')).toBe(false);
    expect(loaded.aliases.get('y')).toBe('c.io/y');
  });
});
