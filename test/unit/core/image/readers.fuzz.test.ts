// The auth.json and policy.json readers fuzzed (files podman and skopeo share with us): random bytes,
// random JSON, and documents of their own shape with hostile keys and values. Each returns what it
// read or refuses with a typed error naming the file; what a policy accepts can be enforced without
// an untyped exception.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupAuth, normalizeAuthKey } from '../../../../main/core/image/auth.ts';
import { enforceDockerPolicy, parseSignaturePolicy } from '../../../../main/core/image/signature-policy.ts';
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

describe('the policy.json reader', () => {
  const counts = fuzzCounts();
  useFuzzDir('podbay-policy-fuzz-', () => recordSoak({ suite: 'fuzz: policy.json reader', hostileInputs: counts.inputs, typedErrors: counts.typed, crashes: 0 }));

  const requirement = fc.oneof(
    fc.record({ type: fc.constantFrom('insecureAcceptAnything', 'reject', 'signedBy', 'sigstoreSigned', 'signedBaseLayer', 'bogus', '') }, { requiredKeys: [] }),
    fc.record({ type: fc.constant('signedBy'), keyType: fc.constantFrom('GPGKeys', 'x'), keyPath: fc.string({ maxLength: 40 }), signedIdentity: fc.anything({ maxDepth: 2 }) }, { requiredKeys: ['type'] }),
    fc.anything({ maxDepth: 2 }),
  );
  const scopes = fc.dictionary(fc.oneof(fc.constantFrom('', 'docker.io', '127.0.0.1:5000/ns', 'quay.io/a/b:tag', 'has space', 'https://x', '__proto__'), fc.string({ maxLength: 40 })), fc.oneof(fc.array(requirement, { maxLength: 3 }), fc.anything({ maxDepth: 1 })), { maxKeys: 4 });
  const policy = fc.record(
    {
      default: fc.oneof(fc.array(requirement, { maxLength: 3 }), fc.anything({ maxDepth: 1 })),
      transports: fc.oneof(fc.dictionary(fc.constantFrom('docker', 'docker-archive', 'oci-archive', 'oci', 'dir', 'atomic', 'bogus', '__proto__'), scopes, { maxKeys: 4 }), fc.anything({ maxDepth: 1 })),
      extra: fc.anything({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  );
  const reference = fc.record({ domain: fc.oneof(fc.constantFrom('docker.io', '127.0.0.1:5000', 'quay.io'), fc.string({ maxLength: 20 })), path: fc.oneof(fc.constantFrom('library/busybox', 'ns/repo', 'a/b'), fc.string({ maxLength: 30 })), tag: fc.constantFrom('latest', '1') });

  it('parses any text into a policy or a typed refusal, and enforces what it parsed without throwing untyped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(policy.map((p) => JSON.stringify(p)), fc.string({ maxLength: 500 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))), reference, async (text, ref) => {
        const parsed = await typedOrValue(counts, () => parseSignaturePolicy(text, 'fuzz/policy.json'));
        if (parsed) await typedOrValue(counts, () => enforceDockerPolicy(parsed, ref));
      }),
      { numRuns: scale(500, 30_000) },
    );
  }, fuzzTimeout);
});
