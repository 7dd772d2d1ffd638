// The Play Kubernetes YAML dialog's model: pull progress from kube.play frames, the report, and
// what it says before sending a YAML that cannot be played.
import { describe, expect, it } from 'vitest';
import { maxKubeYamlBytes } from '../../../shared/types/kube.ts';
import type { KubePlayReport } from '../../../shared/types/kube.ts';
import { initialKubePlay, kubePlayReducer, kubeYamlProblem, playedSummary } from '../../../renderer/src/pods/kube-play-model.ts';

const report: KubePlayReport = {
  pods: [{ name: 'web', id: 'a'.repeat(64), containers: [{ name: 'web-srv', id: 'b'.repeat(64) }, { name: 'web-side', id: 'c'.repeat(64) }] }, { name: 'db', id: 'd'.repeat(64), containers: [{ name: 'db-pg', id: 'e'.repeat(64) }] }],
  volumes: [],
  replaced: [],
  ignored: [],
};

describe('kubePlayReducer', () => {
  it('follows a pull and ends with the report', () => {
    let view = kubePlayReducer(initialKubePlay, { type: 'pull', image: 'busybox', frame: { type: 'resolving', reference: 'docker.io/library/busybox:latest' } });
    expect(view.pulling).toEqual({ image: 'busybox', text: 'Resolving docker.io/library/busybox:latest…' });
    view = kubePlayReducer(view, { type: 'pull', image: 'busybox', frame: { type: 'layer-bytes', digest: `sha256:${'f'.repeat(64)}`, done: 50, total: 200 } });
    expect(view.pulling?.text).toBe('Layer ffffffffffff: 25%');
    view = kubePlayReducer(view, { type: 'played', report });
    expect(view).toEqual({ pulling: null, report });
  });
});

describe('kubeYamlProblem and playedSummary', () => {
  it('refuses an empty or oversized YAML before sending it', () => {
    expect(kubeYamlProblem('  \n')).toMatch(/Paste/);
    expect(kubeYamlProblem('x'.repeat(maxKubeYamlBytes + 1))).toMatch(/at most/);
    expect(kubeYamlProblem('kind: Pod')).toBeNull();
  });

  it('names the pods played and their container counts', () => {
    expect(playedSummary(report)).toBe('Played 2 pods: web (2 containers), db (1 container)');
  });
});
