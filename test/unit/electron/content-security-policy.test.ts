import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../main/electron/content-security-policy.ts';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  const policy = directives(contentSecurityPolicy);

  it('denies by default and allows scripts and styles from the app only', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
  });

  it('allows no inline code, eval or remote origins anywhere', () => {
    expect(contentSecurityPolicy).not.toMatch(/unsafe-|https?:|\*|ws:|blob:/);
  });

  it('blocks the network, frames, plugins, forms and base changes', () => {
    expect(policy.get('connect-src')).toEqual(["'none'"]);
    expect(policy.get('frame-src')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
  });
});
