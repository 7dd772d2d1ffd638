// The Kubernetes YAML reader and planner fuzzed: random text, random YAML of random JSON values, and
// Pods with hostile values in every field. Each input is read into objects or refused with a typed
// error — never an untyped exception — and each run ends (vitest's timeout catches a hang).
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, it } from 'vitest';
import { planKube } from '../../../../main/core/kube/kube-plan.ts';
import { readKube } from '../../../../main/core/kube/kube-reader.ts';
import { fuzzCounts, typedOrValue } from '../../../helpers/fuzz-outcome.ts';
import { recordSoak, scale } from '../../../helpers/soak.ts';

const fuzzTimeout = scale(60_000, 1_800_000);

describe('the Kubernetes YAML reader', () => {
  const counts = fuzzCounts();
  const play = (text: string) => typedOrValue(counts, () => planKube(readKube(text)));
  const done = () => recordSoak({ suite: 'fuzz: kube yaml reader', hostileInputs: counts.inputs, typedErrors: counts.typed, crashes: 0 });

  it('reads random text or refuses it, typed', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 2000 }),
      fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ':', '-', ' ', '\n', '&a', '*a', '!!', '<<', '---', 'kind: Pod', '"', "'", '#', '|'), maxLength: 400 }).map((s) => s),
    );
    await fc.assert(fc.asyncProperty(text, async (t) => void (await play(t))), { numRuns: scale(400, 20_000) });
  }, fuzzTimeout);

  it('reads random YAML values shaped like Kubernetes objects, typed', async () => {
    const value = fc.jsonValue({ maxDepth: 5 });
    const object = fc.record({
      apiVersion: fc.oneof(fc.constantFrom('v1', 'apps/v1'), value),
      kind: fc.oneof(fc.constantFrom('Pod', 'Deployment', 'ConfigMap', 'PersistentVolumeClaim', 'Service'), value),
      metadata: fc.oneof(fc.record({ name: fc.oneof(fc.string({ maxLength: 30 }), value), labels: value }), value),
      spec: fc.oneof(value, fc.record({ containers: fc.array(fc.record({ name: fc.oneof(fc.string({ maxLength: 20 }), value), image: fc.oneof(fc.string({ maxLength: 20 }), value), ports: value, env: value, volumeMounts: value, resources: value }, { requiredKeys: [] }), { maxLength: 3 }), volumes: value, restartPolicy: value, template: value, replicas: value }, { requiredKeys: [] })),
      data: value,
    }, { requiredKeys: [] });
    const docs = fc.array(object, { minLength: 1, maxLength: 4 }).map((list) => list.map((o) => stringify(o)).join('---\n'));
    await fc.assert(fc.asyncProperty(docs, async (t) => void (await play(t))), { numRuns: scale(400, 20_000) });
    done();
  }, fuzzTimeout);
});
