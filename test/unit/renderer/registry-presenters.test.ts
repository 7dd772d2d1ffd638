import { describe, expect, it } from 'vitest';
import type { RegistryInfo, RegistryTestReport } from '../../../shared/types/registries.ts';
import { defaultDestination, destinationOf } from '../../../renderer/src/images/push-presenters.ts';
import { hostProblem, originLabel, pushTargets, registryTraits, testSteps, testVerdict } from '../../../renderer/src/registries/registry-presenters.ts';

const base: RegistryInfo = { host: 'reg:5000', search: false, insecure: false, blocked: false, location: null, managed: false, caFiles: [], login: null, sources: [] };

describe('registry test steps', () => {
  it('shows a ready registry as three ok steps', () => {
    const report: RegistryTestReport = {
      host: 'reg:5000',
      reachable: { status: 'ok', scheme: 'http', auth: 'bearer' },
      login: { status: 'ok', username: 'me' },
      push: { status: 'allowed', repository: 'team/app', cleanedUp: true },
    };
    expect(testSteps(report).map((s) => [s.key, s.tone, s.status])).toEqual([
      ['reachable', 'ok', 'Yes'],
      ['login', 'ok', 'Works'],
      ['push', 'ok', 'Allowed'],
    ]);
    expect(testSteps(report)[0]!.detail).toContain('plain HTTP; token authentication');
    expect(testVerdict(report)).toEqual({ tone: 'ok', text: 'reg:5000: ready to push' });
  });

  it('tells an unreachable registry from one that refused the login, and a denied push', () => {
    const unreachable: RegistryTestReport = {
      host: 'reg:5000',
      reachable: { status: 'failed', error: { code: 'ErrRegistryUnreachable', category: 'unavailable', message: 'connect ECONNREFUSED' } },
      login: { status: 'skipped' },
      push: { status: 'skipped' },
    };
    expect(testSteps(unreachable)[0]).toMatchObject({ tone: 'danger', status: 'No' });
    expect(testSteps(unreachable)[0]!.detail).toMatch(/^No answer/);
    expect(testVerdict(unreachable).text).toBe('reg:5000: reachable failed');
    const refused: RegistryTestReport = { ...unreachable, reachable: { status: 'ok', scheme: 'https', auth: 'basic' }, login: { status: 'refused', error: { code: 'ErrUnauthorized', category: 'permission-denied', message: 'refused' } } };
    expect(testSteps(refused)[1]).toMatchObject({ tone: 'danger', status: 'Refused' });
    const denied: RegistryTestReport = { ...refused, login: { status: 'anonymous' }, push: { status: 'denied', repository: 'x' } };
    expect(testSteps(denied).map((s) => s.tone)).toEqual(['ok', 'warning', 'danger']);
  });
});

describe('registry rows', () => {
  it('names settings and origin', () => {
    expect(registryTraits({ ...base, search: true, insecure: true, caFiles: ['/a.crt'] })).toEqual(['Search', 'Insecure (HTTP / unverified TLS)', 'Own CA']);
    expect(originLabel({ ...base, managed: true })).toBe('Added in Podbay');
    expect(originLabel({ ...base, login: { username: 'u', authFile: '/a' } })).toBe('Login only');
    expect(pushTargets([base, { ...base, host: '*.example.com' }, { ...base, host: 'b', blocked: true }]).map((r) => r.host)).toEqual(['reg:5000']);
  });

  it('checks a host as the engine will', () => {
    expect(hostProblem('')).toMatch(/Give the registry host/);
    expect(hostProblem('reg:5000/team')).toMatch(/Only the host/);
    expect(hostProblem('bad host')).toMatch(/Not a host name/);
    expect(hostProblem('http://127.0.0.1:5000/')).toBeNull();
  });
});

describe('push destination', () => {
  it('proposes the image path without its registry, and the tag', () => {
    expect(defaultDestination('reg:5000', 'docker.io/library/busybox:1.36')).toEqual({ repository: 'busybox', tag: '1.36' });
    expect(defaultDestination('reg:5000', 'localhost/team/app:latest')).toEqual({ repository: 'team/app', tag: 'latest' });
    expect(defaultDestination('reg:5000', null)).toEqual({ repository: '', tag: 'latest' });
    expect(destinationOf(' reg:5000 ', '/team/app/', '')).toBe('reg:5000/team/app:latest');
  });
});
