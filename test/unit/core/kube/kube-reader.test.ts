// The Kubernetes YAML reader with honest and hostile input: limits on size, documents and aliases,
// typed errors naming the field, unknown kinds and fields listed as ignored.
import { describe, expect, it } from 'vitest';
import { PodbayError } from '../../../../shared/errors.ts';
import { maxKubeYamlBytes } from '../../../../shared/types/kube.ts';
import { maxKubeDocuments, readKube } from '../../../../main/core/kube/kube-reader.ts';
import { thrownCode } from '../../../helpers/error-codes.ts';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: { app: web }
spec:
  containers:
    - name: srv
      image: busybox
      args: [httpd, -f]
      ports: [{ containerPort: 80, hostPort: 8080 }]
`;

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PodbayError) return `${error.code} ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('readKube', () => {
  it('reads a Pod with its containers and reports nothing ignored', () => {
    const { objects, ignored } = readKube(pod);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'srv', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }] }] } });
    expect(ignored).toEqual([]);
  });

  it('lists unknown kinds and unsupported fields as ignored, with their paths', () => {
    const yaml = `${pod}      securityContext: { privileged: true }
  nodeName: n1
---
apiVersion: v1
kind: Secret
metadata: { name: token }
`;
    const { objects, ignored } = readKube(yaml);
    expect(objects).toHaveLength(1);
    expect(ignored).toEqual([
      { path: 'Pod web: spec.containers[0].securityContext', reason: 'field not supported' },
      { path: 'Pod web: spec.nodeName', reason: 'field not supported' },
      { path: 'Secret token', reason: 'kind Secret is not supported' },
    ]);
  });

  it('refuses a wrong type with ErrInvalidArg naming the field', () => {
    const bad = pod.replace('containerPort: 80', 'containerPort: "eighty"');
    expect(message(() => readKube(bad))).toMatch(/^ErrInvalidArg .*Pod web: spec\.containers\[0\]\.ports\[0\]\.containerPort: /);
    expect(message(() => readKube(pod.replace('    - name: srv\n', '    - nome: srv\n')))).toMatch(/Pod web: spec\.containers\[0\]\.name: /);
    expect(message(() => readKube('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: []}\n'))).toMatch(/Pod x: spec\.containers: /);
  });

  it('refuses documents that are not Kubernetes objects, and YAML syntax errors', () => {
    expect(thrownCode(() => readKube('- just\n- a list\n'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => readKube('kind: [unterminated\n'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => readKube('a: 1\na: 2\nkind: Pod\n'))).toBe('ErrInvalidArg');
  });

  it('skips empty documents', () => {
    expect(readKube(`---\n${pod}---\n`).objects).toHaveLength(1);
  });

  it('stops an alias bomb (billion laughs) with ErrInvalidArg', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push('kind: Pod');
    expect(message(() => readKube(lines.join('\n')))).toMatch(/^ErrInvalidArg .*document 1: .*alias/i);
  });

  it('refuses a document over the size limit and too many documents', () => {
    expect(message(() => readKube(`${pod}# ${'x'.repeat(maxKubeYamlBytes)}\n`))).toMatch(/^ErrInvalidArg .*bytes: at most/);
    expect(message(() => readKube(Array(maxKubeDocuments + 1).fill(pod).join('---\n')))).toMatch(/^ErrInvalidArg .*documents: at most/);
  });

  it('turns nesting deep enough to exhaust the parser into ErrInvalidArg', () => {
    expect(thrownCode(() => readKube(`kind: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`))).toBe('ErrInvalidArg');
  });

  it('does not let __proto__ keys reach the prototype', () => {
    const { objects } = readKube(pod.replace('labels: { app: web }', 'labels: { __proto__: evil }'));
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
    expect(Object.getPrototypeOf(objects[0]?.metadata.labels)).toBe(Object.prototype);
  });

  it('refuses a Deployment without a template', () => {
    expect(message(() => readKube('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n'))).toMatch(/Deployment d: spec\.template: /);
  });
});
