import { describe, expect, it } from 'vitest';
import { toYaml } from '../../../main/cli/format/yaml.ts';

describe('toYaml', () => {
  it('writes nested maps and lists of maps', () => {
    expect(toYaml({ host: { kernel: '6.1.0', cpus: 2 }, list: [{ name: 'crun', ok: true }], empty: [] })).toBe(
      'host:\n  kernel: "6.1.0"\n  cpus: 2\nlist:\n  - name: crun\n    ok: true\nempty: []\n',
    );
  });

  it('quotes strings that would read back as something else', () => {
    expect(toYaml({ a: 'true', b: '123', c: 'x: y', d: null, e: 'has\nnewline' })).toBe('a: "true"\nb: "123"\nc: "x: y"\nd: null\ne: "has\\nnewline"\n');
  });
});
