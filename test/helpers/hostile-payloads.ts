// Hostile inputs for the contract (the renderer is untrusted): values of every JSON shape and size,
// prototype-pollution keys, path traversal and shell syntax in strings, and objects built from a
// schema's own keys with such values, so many get past the first checks and reach deeper ones.
import fc from 'fast-check';
import type { ProcedureDef } from '../../shared/contract/define.ts';

export const hostileStrings = fc.constantFrom('../../etc/passwd', '/', '', 'a'.repeat(70_000), '\u0000', 'busybox; rm -rf /', '$(reboot)', '`id`', '%00', '\u202e', 'C:\\Windows', 'ws://evil.example', 'x'.repeat(300));

/** JSON values only: what can cross a socket. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ maxLength: 20_000 }),
  hostileStrings,
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 2 ** 53, -(2 ** 31), 1e308, -1, 0.5),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true}}')),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
);

/** Beyond JSON: what an in-process caller could pass (null prototypes, boxed values, typed arrays). */
export const hostileValues: fc.Arbitrary<unknown> = fc.oneof(
  hostileJson,
  fc.anything({ maxDepth: 4, withBigInt: false, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0),
);

/** Objects with the schema's top-level keys (when it has a shape), each a hostile value. */
export function shapedPayload(def: ProcedureDef, values: fc.Arbitrary<unknown> = hostileJson): fc.Arbitrary<unknown> {
  const shape = (def.input as unknown as { shape?: Record<string, unknown> }).shape;
  const keys = shape ? Object.keys(shape) : [];
  if (keys.length === 0) return values;
  const value = fc.oneof(values, fc.string({ maxLength: 300 }), fc.array(fc.string({ maxLength: 80 }), { maxLength: 20 }), fc.integer(), fc.boolean(), hostileStrings);
  return fc.dictionary(fc.constantFrom(...keys, 'extra', '__proto__'), value, { maxKeys: keys.length + 2 });
}
