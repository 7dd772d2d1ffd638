import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../main/core/oci/k8s-file-log.ts';
import { compareLogEntries } from '../../../main/core/pod-logs.ts';
import type { PodLogEntry } from '../../../main/core/pod-logs.ts';

const entry = (name: string, raw: string): PodLogEntry => ({ containerId: name, containerName: name, line: parseLogLine(raw) as NonNullable<ReturnType<typeof parseLogLine>> });

describe('compareLogEntries', () => {
  it('orders by conmon’s nanosecond time, also within one millisecond and across offsets', () => {
    const lines = [
      entry('a', '2026-12-02T10:00:00.000000900Z stdout F third'),
      entry('b', '2026-12-02T10:00:00.000000100Z stdout F first'),
      entry('c', '2026-12-02T11:00:00.0000005+01:00 stdout F second'),
      entry('d', '2026-12-02T09:59:59.999Z stdout F zeroth'),
    ];
    expect([...lines].sort(compareLogEntries).map((e) => e.line.text)).toEqual(['zeroth', 'first', 'second', 'third']);
  });

  it('keeps lines of the same instant in their order', () => {
    const same = [entry('x', '2026-12-02T10:00:00.5Z stdout F one'), entry('y', '2026-12-02T10:00:00.500000000Z stdout F two')];
    expect([...same].sort(compareLogEntries).map((e) => e.line.text)).toEqual(['one', 'two']);
  });
});
