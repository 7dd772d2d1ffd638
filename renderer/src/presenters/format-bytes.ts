// Byte counts as people read them. Binary units (KiB = 1024), as `free -h` and podman print memory.

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** 0 → "0 B", 1536 → "1.5 KiB", 25276059648 → "23.5 GiB". Negative or non-finite → "—". */
export function formatBytes(bytes: number, fractionDigits = 1): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const rounded = value.toFixed(fractionDigits);
  // 1023.96 KiB rounds to "1024.0": show the next unit instead.
  if (Number(rounded) >= 1024 && unit < units.length - 1) return `1 ${units[unit + 1]}`;
  return `${rounded.replace(/\.0+$/, '')} ${units[unit]}`;
}

/** Integers with thin grouping: 96364 → "96,364". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return Math.round(value).toLocaleString('en-US');
}
