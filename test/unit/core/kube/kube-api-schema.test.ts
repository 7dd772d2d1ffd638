// The test helper standing in for `kubectl apply --dry-run=client --validate=strict` refuses what
// the Kubernetes API refuses, so the generate kube tests that lean on it can fail.
import { describe, expect, it } from 'vitest';
import { kubeManifestProblems } from '../../../helpers/kube-api-schema.ts';

const good = `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec:
  restartPolicy: Never
  containers: [{ name: srv, image: busybox, ports: [{ containerPort: 80, hostPort: 8080, protocol: TCP }], volumeMounts: [{ name: data, mountPath: /d }] }]
  volumes: [{ name: data, emptyDir: {} }]
`;

describe('kubeManifestProblems', () => {
  it('accepts a well-formed Pod', () => {
    expect(kubeManifestProblems(good)).toEqual([]);
  });

  it('refuses missing required fields, wrong types, unknown fields, bad names and dangling mounts', () => {
    expect(kubeManifestProblems(good.replace(', image: busybox', ''))).not.toEqual([]);
    expect(kubeManifestProblems(good.replace('containerPort: 80', 'containerPort: "80"'))).not.toEqual([]);
    expect(kubeManifestProblems(good.replace('restartPolicy: Never', 'restartPolicy: Sometimes'))).not.toEqual([]);
    expect(kubeManifestProblems(good.replace('name: srv', 'name: Srv_1'))).not.toEqual([]);
    expect(kubeManifestProblems(good.replace('metadata:', 'bogus: 1\nmetadata:'))).not.toEqual([]);
    expect(kubeManifestProblems(good.replace('{ name: data, mountPath', '{ name: other, mountPath'))).not.toEqual([]);
    expect(kubeManifestProblems(good.replace('kind: Pod', 'kind: Pad'))).not.toEqual([]);
  });
});
