import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerScopes, enforceDockerPolicy, enforcePolicy, loadSignaturePolicy, parseSignaturePolicy, pathScopes, requirementsFor } from '../../../../main/core/image/signature-policy.ts';
import { rejectionCode } from '../../../helpers/error-codes.ts';

const policy = parseSignaturePolicy(
  JSON.stringify({
    default: [{ type: 'reject' }],
    transports: {
      docker: {
        'reg.example.com:5000/team': [{ type: 'insecureAcceptAnything' }],
        'reg.example.com:5000/team/secret:1': [{ type: 'reject' }],
        '*.signed.example': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.gpg' }],
        'quay.io': [{ type: 'sigstoreSigned', keyPath: '/k.pub' }],
      },
      'docker-archive': { '': [{ type: 'insecureAcceptAnything' }] },
    },
  }),
);

const sync = (fn: () => void) => rejectionCode(Promise.resolve().then(fn));

describe('signature policy', () => {
  it('orders docker scopes from the most specific, as c/image', () => {
    expect(dockerScopes({ domain: 'a.b.example:5000', path: 'ns/app', tag: '1' })).toEqual([
      'a.b.example:5000/ns/app:1',
      'a.b.example:5000/ns/app',
      'a.b.example:5000/ns',
      'a.b.example:5000',
      '*.b.example',
      '*.example',
    ]);
    expect(dockerScopes({ domain: '127.0.0.1:5000', path: 'x', digest: `sha256:${'a'.repeat(64)}` })[0]).toBe(`127.0.0.1:5000/x@sha256:${'a'.repeat(64)}`);
    expect(pathScopes('/tmp/a/b.tar')).toEqual(['/tmp/a/b.tar', '/tmp/a', '/tmp', '/']);
  });

  it('accepts, rejects and refuses signature requirements by the most specific scope', async () => {
    expect(await sync(() => enforceDockerPolicy(policy, { domain: 'reg.example.com:5000', path: 'team/app', tag: '1' }))).toBe('resolved');
    expect(await sync(() => enforceDockerPolicy(policy, { domain: 'reg.example.com:5000', path: 'team/secret', tag: '1' }))).toBe('ErrPermission');
    expect(await sync(() => enforceDockerPolicy(policy, { domain: 'reg.example.com:5000', path: 'other', tag: '1' }))).toBe('ErrPermission');
    expect(await sync(() => enforceDockerPolicy(policy, { domain: 'r.signed.example', path: 'x', tag: '1' }))).toBe('ErrNotImplemented');
    expect(await sync(() => enforceDockerPolicy(policy, { domain: 'quay.io', path: 'x/y', tag: '1' }))).toBe('ErrNotImplemented');
    expect(await sync(() => enforcePolicy(policy, 'docker-archive', pathScopes('/tmp/a.tar'), 'a'))).toBe('resolved');
    expect(await sync(() => enforcePolicy(policy, 'oci-archive', pathScopes('/tmp/a.tar'), 'a'))).toBe('ErrPermission');
    expect(requirementsFor(policy, 'docker', dockerScopes({ domain: 'reg.example.com:5000', path: 'team/a/b', tag: 't' })).scope).toBe('docker:reg.example.com:5000/team');
  });

  it('refuses malformed policies precisely', async () => {
    for (const text of ['[]', '{}', '{"default": []}', '{"default": [{"type": "maybe"}]}', '{"default": [{"type": "reject", "x": 1}]}', '{"default": [{"type":"reject"}], "transports": {"ftp": {}}}', '{"default": [{"type":"reject"}], "extra": 1}', 'nope']) {
      expect(await sync(() => parseSignaturePolicy(text)), text).toBe('ErrInvalidArg');
    }
  });

  it('loads the user file first; a missing default file accepts, a missing explicit one is an error', async () => {
    const home = mkdtempSync(join(tmpdir(), 'podbay-policy-'));
    try {
      expect(loadSignaturePolicy({ path: join(home, 'none.json'), home }).default).toEqual([{ type: 'insecureAcceptAnything' }]);
      expect(await sync(() => loadSignaturePolicy({ path: join(home, 'none.json'), explicit: true, home }))).toBe('ErrInvalidArg');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(home, '.config/containers'), { recursive: true });
      writeFileSync(join(home, '.config/containers/policy.json'), '{"default":[{"type":"reject"}]}');
      expect(loadSignaturePolicy({ path: join(home, 'none.json'), home }).default).toEqual([{ type: 'reject' }]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
