// The auth.json reader fuzzed (what `podbay login` writes and podman and skopeo share): random bytes,
// random JSON, and auths maps with hostile keys and base64. lookupAuth returns credentials or nothing,
// or refuses with a typed error naming the file; normalizeAuthKey takes any string.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupAuth, normalizeAuthKey } from '../../../../main/core/image/auth.ts';
import { fuzzCounts, typedOrValue, useFuzzDir } from '../../../helpers/fuzz-outcome.ts';
import { recordSoak, scale } from '../../../helpers/soak.ts';


const fuzzTimeout = scale(30_000, 1_800_000);
describe('the auth.json reader', () => {
  const counts = fuzzCounts();
  const dir = useFuzzDir('podbay-auth-fuzz-', () => recordSoak({ suite: 'fuzz: auth.json reader', hostileInputs: counts.inputs, typedErrors: counts.typed, crashes: 0 }));

  const lookup = (content: string | Buffer, registry: string, repository: string) =>
    typedOrValue(counts, () => {
      const path = join(dir(), 'auth.json');
      writeFileSync(path, content);
      return lookupAuth(registry, repository, [path]);
    });

  const registry = fc.oneof(fc.constantFrom('127.0.0.1:5000', 'docker.io', 'quay.io', 'index.docker.io'), fc.string({ maxLength: 40 }));
  const repository = fc.oneof(fc.constant(''), fc.string({ maxLength: 60 }), fc.constantFrom('ns/repo', '../../x', 'a/b/c/d/e'));

  it('refuses random bytes and JSON that is not an auth file, typed', async () => {
    const content = fc.oneof(fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 500 }));
    await fc.assert(fc.asyncProperty(content, registry, repository, async (c, r, p) => void (await lookup(c, r, p))), { numRuns: scale(300, 20_000) });
  }, fuzzTimeout);

  it('reads auths with hostile keys and base64 into credentials, nothing, or a typed refusal', async () => {
    const entry = fc.record(
      {
        auth: fc.oneof(fc.base64String({ maxLength: 200 }), fc.string({ maxLength: 100 }).map((s) => Buffer.from(s).toString('base64')), fc.string({ maxLength: 50 }), fc.integer()),
        identitytoken: fc.oneof(fc.string({ maxLength: 100 }), fc.constant(null)),
        email: fc.string({ maxLength: 20 }),
      },
      { requiredKeys: [] },
    );
    const doc = fc.record({ auths: fc.dictionary(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('https://index.docker.io/v1/', '127.0.0.1:5000', 'docker.io/library/busybox', '__proto__')), fc.oneof(entry, fc.anything({ maxDepth: 2 })), { maxKeys: 8 }) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(doc, registry, repository, async (d, r, p) => {
        const found = await lookup(JSON.stringify(d), r, p);
        if (found?.credentials) expect(typeof found.credentials.username).toBe('string');
      }),
      { numRuns: scale(300, 20_000) },
    );
  }, fuzzTimeout);

  it('normalizes any key without throwing', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (key) => void normalizeAuthKey(key)), { numRuns: scale(1_000, 50_000) });
  }, fuzzTimeout);
});
