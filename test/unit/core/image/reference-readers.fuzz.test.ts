// The image reference parser and the registries.conf reader fuzzed, with their counts in the soak
// summary: random text and strings built from the characters references and TOML are made of. Each
// input is parsed or refused with a typed error, and a parsed reference never names a path that
// climbs out (`..`) or starts at the root — references become paths and URLs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReference, parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { parseRegistriesConf } from '../../../../main/core/image/registries-conf.ts';
import { fuzzCounts, typedOrValue } from '../../../helpers/fuzz-outcome.ts';
import { recordSoak, scale } from '../../../helpers/soak.ts';

const fuzzTimeout = scale(30_000, 1_800_000);

describe('the image reference parser', () => {
  const counts = fuzzCounts();
  const referenceChars = fc.constantFrom(...'abcz09AZ./:_@-+ \n%'.split(''), 'sha256:', 'docker.io/', 'localhost/', '..', '//');

  it('parses or refuses any text, typed, and never yields a climbing or absolute path', async () => {
    const input = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: referenceChars, maxLength: 60 }));
    await fc.assert(
      fc.asyncProperty(input, async (text) => {
        const ref = await typedOrValue(counts, () => parseNormalizedReference(text));
        if (!ref) return;
        expect(ref.path.split('/')).not.toContain('..');
        expect(ref.path.startsWith('/')).toBe(false);
        expect(formatReference(ref).length).toBeGreaterThan(0);
      }),
      { numRuns: scale(2_000, 100_000) },
    );
    recordSoak({ suite: 'fuzz: image reference parser', hostileInputs: counts.inputs, typedErrors: counts.typed, crashes: 0 });
  }, fuzzTimeout);
});

describe('the registries.conf reader', () => {
  const counts = fuzzCounts();
  const tomlChars = fc.constantFrom('[', ']', '[[registry]]', '=', '"', "'", '\n', ' ', '#', 'location', 'prefix', 'insecure', 'blocked', 'true', 'unqualified-search-registries', 'short-name-mode', '[aliases]', '[[registry.mirror]]', 'x.io', '{', '}', ',');

  it('reads or refuses any text, typed', async () => {
    const text = fc.oneof(fc.string({ maxLength: 500 }), fc.string({ unit: tomlChars, maxLength: 80 }));
    await fc.assert(fc.asyncProperty(text, async (t) => void (await typedOrValue(counts, () => parseRegistriesConf(t)))), { numRuns: scale(1_000, 50_000) });
    recordSoak({ suite: 'fuzz: registries.conf reader', hostileInputs: counts.inputs, typedErrors: counts.typed, crashes: 0 });
  }, fuzzTimeout);
});
