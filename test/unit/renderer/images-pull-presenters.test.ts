import { describe, expect, it } from 'vitest';
import { applyPullFrame, initialPull, pullCanceled, pullEnded, pullFailed } from '../../../renderer/src/images/pull-progress.ts';
import { bytesOf, describePullError, formatEta, formatSpeed, layerPhaseLabel, percent, pullHeadline, resolutionHint, shortDigest, trayLabel } from '../../../renderer/src/images/pull-presenters.ts';

const MiB = 1024 * 1024;
const a = `sha256:${'a'.repeat(64)}`;

function downloading() {
  let s = initialPull('busybox', 0);
  s = applyPullFrame(s, { type: 'resolving', reference: 'reg:5000/busybox:latest' }, 1);
  s = applyPullFrame(s, { type: 'manifest', reference: 'reg:5000/busybox:latest', manifestDigest: 'm', layers: [{ digest: a, size: 50 * MiB }] }, 2);
  s = applyPullFrame(s, { type: 'layer-bytes', digest: a, done: 0, total: 50 * MiB }, 1000);
  s = applyPullFrame(s, { type: 'layer-bytes', digest: a, done: 10 * MiB, total: 50 * MiB }, 2000);
  return s;
}

describe('pull presenters', () => {
  it('formats speeds, ETAs, byte pairs and percentages', () => {
    expect(formatSpeed(1536)).toBe('1.5 KiB/s');
    expect(formatSpeed(0)).toBe('—');
    expect(formatEta(4.2)).toBe('5 s');
    expect(formatEta(65)).toBe('1 min 05 s');
    expect(formatEta(7380)).toBe('2 h 03 min');
    expect(formatEta(null)).toBe('—');
    expect(bytesOf(12.5 * MiB, 25 * MiB)).toBe('12.5 MiB / 25 MiB');
    expect(percent(0.456)).toBe('45 %');
    expect(percent(null)).toBe('');
    expect(shortDigest(a)).toBe('aaaaaaaaaaaa');
  });

  it('says where a short name resolves, or that a full name pulls as written', () => {
    expect(resolutionHint({ input: 'busybox', origin: 'search', candidates: ['docker.io/library/busybox:latest'] }).text).toBe('Short name: resolves to docker.io/library/busybox:latest.');
    const two = resolutionHint({ input: 'busybox', origin: 'search', candidates: ['quay.io/busybox:latest', 'docker.io/library/busybox:latest'] });
    expect(two.text).toBe('Short name: tries 2 registries in order, starting with quay.io/busybox:latest.');
    expect(two.candidates).toHaveLength(2);
    expect(resolutionHint({ input: 'x', origin: 'qualified', candidates: ['reg:5000/x:latest'] }).text).toBe('Pulls reg:5000/x:latest as written.');
    expect(resolutionHint({ input: 'x', origin: 'alias', candidates: ['quay.io/x:latest'] }).text).toBe('Short-name alias for quay.io/x:latest.');
    expect(resolutionHint({ input: 'x', origin: 'search', candidates: [] }).text).toMatch(/use a full name/);
  });

  it('headlines a running pull with bytes, speed and time left', () => {
    const h = pullHeadline(downloading());
    expect(h.title).toBe('Pulling reg:5000/busybox:latest');
    expect(h.detail).toBe('10 MiB of 50 MiB · 10 MiB/s · 4 s left');
    expect(h.fraction).toBeCloseTo(0.2);
    expect(pullHeadline(initialPull('busybox', 0))).toMatchObject({ title: 'Pulling busybox', detail: 'Resolving the name…', fraction: null });
  });

  it('headlines a finished, cancelled and failed pull', () => {
    const done = pullEnded(applyPullFrame(downloading(), { type: 'image', image: { id: 'f'.repeat(64), digest: 'd', repoTags: ['reg:5000/busybox:latest'], repoDigests: [], created: '', size: 1, sharedSize: 0, labels: {}, storedAt: '', dangling: false } }, 3000), 4000);
    expect(pullHeadline(done)).toMatchObject({ title: 'Pulled reg:5000/busybox:latest', detail: 'Image ffffffffffff · 1 layer · 50 MiB in 4 s', tone: 'ok', fraction: 1 });
    expect(pullHeadline(pullCanceled(downloading(), 3000))).toMatchObject({ title: 'Cancelled pull of reg:5000/busybox:latest', detail: 'Nothing of it was kept.', tone: 'warning' });
    const failed = pullFailed(initialPull('nope', 0), { code: 'ErrNoSuchImage', category: 'not-found', message: 'reading manifest: not found in reg' }, 5);
    expect(pullHeadline(failed)).toMatchObject({ title: 'Could not pull nope', detail: 'No such image', tone: 'danger' });
  });

  it('says what happened and what to try for each kind of pull error', () => {
    const missing = describePullError({ code: 'ErrNoSuchImage', category: 'not-found', message: 'not found' }, 'busyboks');
    expect(missing.title).toBe('No such image');
    expect(missing.advice[0]).toContain('“busyboks”');
    const denied = describePullError({ code: 'ErrUnauthorized', category: 'permission-denied', message: 'reg requires authentication' }, 'reg/private');
    expect(denied.title).toBe('The registry refused access');
    expect(denied.advice[0]).toContain('podbay login');
    const unreachable = describePullError({ code: 'ErrInternal', category: 'internal', message: 'pinging container registry reg: connect ECONNREFUSED' }, 'reg/x');
    expect(unreachable.title).toBe('The registry could not be reached, or the transfer failed');
    expect(unreachable.advice.join(' ')).toContain('Skip TLS verification');
    expect(unreachable.code).toBe('ErrInternal');
    const noAnswer = describePullError({ code: 'ErrRegistryUnreachable', category: 'unavailable', message: 'pinging container registry reg: connect ECONNREFUSED' }, 'reg/x');
    expect(noAnswer.title).toBe('The registry could not be reached');
    expect(noAnswer.advice.join(' ')).toContain('Registries page');
    expect(describePullError({ code: 'ErrInvalidArg', category: 'invalid-argument', message: 'bad' }, 'BAD').title).toMatch(/Not a valid image reference/);
  });

  it('names layer phases, and a resumed download as such', () => {
    const layer = downloading().layers[0]!;
    expect(layerPhaseLabel(layer)).toBe('Downloading');
    expect(layerPhaseLabel({ ...layer, resumes: 1 })).toBe('Resumed');
    expect(layerPhaseLabel({ ...layer, phase: 'exists' })).toBe('Already present');
  });

  it('sums running pulls for the tray', () => {
    expect(trayLabel([])).toBe('No tasks running');
    expect(trayLabel([downloading()])).toBe('1 pull · 20 %');
    expect(trayLabel([downloading(), initialPull('x', 0)])).toBe('2 pulls · 20 %');
    expect(trayLabel([initialPull('x', 0)])).toBe('1 pull');
  });
});
