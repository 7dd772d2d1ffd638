import { describe, expect, it } from 'vitest';
import { jsonTokens } from '../../../renderer/src/components/json-tokens.ts';

describe('jsonTokens (the Inspect panel)', () => {
  const text = JSON.stringify({ name: 'web "1"', exitCode: null, pid: 0, ratio: -1.5e3, terminal: false, command: ['/bin/sh', '-c'], labels: {} }, null, 2);

  it('gives the text back exactly when joined', () => {
    expect(
      jsonTokens(text)
        .map((t) => t.text)
        .join(''),
    ).toBe(text);
  });

  it('tells keys from string values, numbers and literals', () => {
    const tokens = jsonTokens(text).filter((t) => t.kind !== 'space' && t.kind !== 'punct');
    expect(tokens.slice(0, 4)).toEqual([
      { kind: 'key', text: '"name"' },
      { kind: 'string', text: '"web \\"1\\""' },
      { kind: 'key', text: '"exitCode"' },
      { kind: 'literal', text: 'null' },
    ]);
    expect(tokens.filter((t) => t.kind === 'number').map((t) => t.text)).toEqual(['0', '-1500']);
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.text)).toContain('"/bin/sh"');
  });
});
