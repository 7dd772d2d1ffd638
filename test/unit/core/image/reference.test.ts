import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasCode, PodbayError } from '../../../../shared/errors.ts';
import {
  formatReference,
  isLocalOnly,
  manifestReference,
  parseNormalizedReference,
  parseUserReference,
  registryHost,
  withDefaultTag,
} from '../../../../main/core/image/reference.ts';

const hex = 'a'.repeat(64);

describe('parseNormalizedReference', () => {
  it.each([
    ['busybox', 'docker.io', 'library/busybox', undefined],
    ['busybox:1.36', 'docker.io', 'library/busybox', '1.36'],
    ['library/busybox', 'docker.io', 'library/busybox', undefined],
    ['someone/app:v1', 'docker.io', 'someone/app', 'v1'],
    ['docker.io/busybox', 'docker.io', 'library/busybox', undefined],
    ['index.docker.io/busybox', 'docker.io', 'library/busybox', undefined],
    ['quay.io/podman/hello:latest', 'quay.io', 'podman/hello', 'latest'],
    ['localhost/busybox', 'localhost', 'busybox', undefined],
    ['localhost:5000/a/b/c:t_1', 'localhost:5000', 'a/b/c', 't_1'],
    ['127.0.0.1:5000/busybox', '127.0.0.1:5000', 'busybox', undefined],
    ['[::1]:5000/busybox', '[::1]:5000', 'busybox', undefined],
    ['Registry.Example.COM/app', 'Registry.Example.COM', 'app', undefined],
    ['a.b/x__y/z-----w.v', 'a.b', 'x__y/z-----w.v', undefined],
  ])('%s → %s / %s', (input, domain, path, tag) => {
    const ref = parseNormalizedReference(input);
    expect(ref.domain).toBe(domain);
    expect(ref.path).toBe(path);
    expect(ref.tag).toBe(tag);
  });

  it('keeps a digest and uses it as the manifest reference', () => {
    const ref = parseNormalizedReference(`busybox:1.36@sha256:${hex}`);
    expect(ref.tag).toBe('1.36');
    expect(ref.digest).toBe(`sha256:${hex}`);
    expect(manifestReference(ref)).toBe(`sha256:${hex}`);
  });

  it.each([
    ['', 'empty'],
    ['Busybox', 'uppercase repository'],
    ['docker.io/Library/busybox', 'uppercase path'],
    ['busybox:', 'empty tag'],
    ['busybox:-x', 'tag starting with a dash'],
    [`busybox:${'a'.repeat(129)}`, 'tag too long'],
    ['busybox@sha256:abc', 'short digest'],
    [`busybox@sha256:${'A'.repeat(64)}`, 'upper-case digest'],
    [`busybox@md5:${hex}`, 'unknown algorithm'],
    ['busy box', 'space'],
    ['a//b', 'empty component'],
    ['a/b/', 'trailing slash'],
    ['-a', 'leading separator'],
    ['a..b', 'double dot'],
    ['a___b', 'triple underscore'],
    [hex, '64-hex repository name'],
    ['example.com:port/a', 'non-numeric port'],
    ['-example.com/a', 'domain starting with a dash'],
    [`example.com/${'a'.repeat(250)}`, 'name over 255 characters'],
    ['x'.repeat(5000), 'input over the bound'],
    ['a/../b', 'dot-dot component'],
  ])('refuses %j (%s) with ErrInvalidArg', (input) => {
    let caught: unknown;
    try {
      parseNormalizedReference(input);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });

  it('names the lower-case rule for upper-case repositories', () => {
    expect(() => parseNormalizedReference('docker.io/Busybox')).toThrow(/must be lowercase/);
  });

  it('adds :latest only when neither tag nor digest is given', () => {
    expect(withDefaultTag(parseNormalizedReference('busybox')).tag).toBe('latest');
    expect(withDefaultTag(parseNormalizedReference(`busybox@sha256:${hex}`)).tag).toBeUndefined();
  });

  it('marks localhost/ references local-only and maps docker.io to its API host', () => {
    expect(isLocalOnly(parseNormalizedReference('localhost/x'))).toBe(true);
    expect(isLocalOnly(parseNormalizedReference('localhost:5000/x'))).toBe(false);
    expect(registryHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });
});

describe('parseUserReference', () => {
  it('keeps short names short (no docker.io defaulting)', () => {
    expect(parseUserReference('busybox').domain).toBeUndefined();
    expect(parseUserReference('library/busybox').domain).toBeUndefined();
    expect(parseUserReference('localhost/busybox').domain).toBe('localhost');
  });
});

const component = fc.stringMatching(/^[a-z0-9]{1,8}([._-][a-z0-9]{1,8}){0,2}$/);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);

describe('reference properties', () => {
  it('formats and re-parses any valid reference to itself', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('docker.io', 'quay.io', 'localhost', '127.0.0.1:5000', 'reg.example.com:443'),
        fc.array(component, { minLength: 1, maxLength: 3 }),
        fc.option(tag, { nil: undefined }),
        (domain, parts, t) => {
          const input = `${domain}/${parts.join('/')}${t === undefined ? '' : `:${t}`}`;
          const ref = parseNormalizedReference(input);
          expect(parseNormalizedReference(formatReference(ref))).toEqual(ref);
        },
      ),
    );
  });

  it('never throws anything but a PodbayError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (input) => {
        try {
          const ref = parseNormalizedReference(input);
          expect(formatReference(ref).length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(PodbayError);
          expect((error as PodbayError).code).toBe('ErrInvalidArg');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets a parsed path contain .. or an absolute component', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9./:_@-]{1,40}$/), (input) => {
        try {
          const ref = parseNormalizedReference(input);
          expect(ref.path.split('/')).not.toContain('..');
          expect(ref.path.startsWith('/')).toBe(false);
        } catch (error) {
          expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
