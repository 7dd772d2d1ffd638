// The Stats view as pure functions: samples of `containers.stats` kept as a short history (for the
// sparklines) and shown as people read them (binary units for memory, as `free -h`).
import type { ContainerStats } from '../../../shared/types/container-files.ts';
import { formatBytes } from '../presenters/format-bytes.ts';

export interface StatsHistory {
  readonly samples: readonly ContainerStats[];
  readonly limit: number;
}

export function emptyHistory(limit = 60): StatsHistory {
  return { samples: [], limit };
}

/** Appends a sample, dropping the oldest past the limit. */
export function pushSample(history: StatsHistory, sample: ContainerStats): StatsHistory {
  const samples = [...history.samples, sample];
  return { ...history, samples: samples.length > history.limit ? samples.slice(samples.length - history.limit) : samples };
}

export interface StatsView {
  cpu: string;
  avgCpu: string;
  memory: string;
  memoryFraction: number;
  memoryPercent: string;
  pids: string;
  net: string;
  block: string;
}

const pct = (value: number) => `${value.toFixed(value >= 10 ? 1 : 2)}%`;

export function statsView(s: ContainerStats): StatsView {
  return {
    cpu: pct(s.cpuPercent),
    avgCpu: pct(s.avgCpuPercent),
    memory: `${formatBytes(s.memUsage)} / ${formatBytes(s.memLimit)}`,
    memoryFraction: s.memLimit > 0 ? Math.min(1, s.memUsage / s.memLimit) : 0,
    memoryPercent: pct(s.memPercent),
    pids: String(s.pids),
    net: s.netInput === null || s.netOutput === null ? 'not available' : `${formatBytes(s.netInput)} in / ${formatBytes(s.netOutput)} out`,
    block: `${formatBytes(s.blockInput)} read / ${formatBytes(s.blockOutput)} written`,
  };
}

/**
 * An SVG polyline's points for `values` in a `width`×`height` box: the newest at the right edge,
 * scaled to the larger of the values' maximum and `floor` (so idle noise stays flat).
 */
export function sparklinePoints(values: readonly number[], width: number, height: number, floor = 1): string {
  if (values.length === 0) return '';
  const max = Math.max(floor, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => `${(values.length > 1 ? i * step : width).toFixed(1)},${(height - (Math.max(0, v) / max) * height).toFixed(1)}`).join(' ');
}
