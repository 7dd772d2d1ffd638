import { describe, expect, it } from 'vitest';
import type { SystemCheckIssue, SystemCheckReport } from '../../../shared/types/system-check.ts';
import { checkIssueKinds } from '../../../shared/types/system-check.ts';
import { canRepair, checkIssueLabel, checkIssueRows, checkSummary } from '../../../renderer/src/presenters/storage-check-presenters.ts';

const report = (issues: SystemCheckIssue[], extra: Partial<SystemCheckReport> = {}): SystemCheckReport => ({
  repair: false,
  quick: false,
  checked: { containers: 2, pods: 1, images: 1, blobs: 3, layers: 1 },
  issues,
  skipped: [],
  ...extra,
});

const garbage: SystemCheckIssue = { kind: 'garbage', subject: '/g/blobs/sha256/.tmp-1', problem: 'a half-written blob (5 bytes) of an interrupted download', repairable: true };
const database: SystemCheckIssue = { kind: 'database', subject: '/g/podbay.db', problem: 'SQLite reports: page 3 is never used', repairable: false };

describe('storage check presenters', () => {
  it('labels every kind of issue', () => {
    for (const kind of checkIssueKinds) expect(checkIssueLabel(kind)).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
  });

  it('says a sound store is sound, and what was checked', () => {
    expect(checkSummary(report([]))).toEqual({ tone: 'ok', headline: 'No problems found', detail: 'Checked 2 containers, 1 pod and 1 image (3 blobs, 1 layer).' });
    expect(checkSummary(report([], { quick: true, skipped: ['unreferenced image content: a pull is running'] })).detail).toBe(
      'Checked 2 containers, 1 pod and 1 image (3 blobs, 1 layer), quickly. Not checked: unreferenced image content: a pull is running.',
    );
  });

  it('offers a repair only while something repairable is left', () => {
    expect(canRepair(report([garbage]))).toBe(true);
    expect(canRepair(report([database]))).toBe(false);
    expect(canRepair(report([{ ...garbage, repaired: 'deleted' }]))).toBe(false);
  });

  it('counts what was repaired, what can be and what cannot', () => {
    expect(checkSummary(report([garbage])).headline).toBe('1 problem found: 1 can be repaired');
    expect(checkSummary(report([garbage])).tone).toBe('warning');
    expect(checkSummary(report([{ ...garbage, repaired: 'deleted' }, database], { repair: true }))).toMatchObject({ tone: 'danger', headline: '2 problems found: 1 repaired, 1 cannot be repaired here' });
    expect(checkSummary(report([{ ...garbage, repaired: 'deleted' }], { repair: true }))).toMatchObject({ tone: 'ok', headline: 'All 1 problem repaired' });
  });

  it('shows each issue as a sentence with its outcome', () => {
    expect(checkIssueRows(report([garbage, { ...database }, { ...garbage, subject: 'x', repaired: 'deleted' }]))).toEqual([
      { key: expect.any(String), label: 'Leftover content', subject: '/g/blobs/sha256/.tmp-1', problem: 'A half-written blob (5 bytes) of an interrupted download.', outcome: 'Repairable', tone: 'warning' },
      { key: expect.any(String), label: 'Damaged database', subject: '/g/podbay.db', problem: 'SQLite reports: page 3 is never used.', outcome: 'Not repairable here', tone: 'danger' },
      { key: expect.any(String), label: 'Leftover content', subject: 'x', problem: 'A half-written blob (5 bytes) of an interrupted download.', outcome: 'Repaired: deleted', tone: 'ok' },
    ]);
  });
});
