// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity) for memory and CPU limits:
// binary (Ki Mi Gi Ti Pi Ei) and decimal (k M G T P E, m for milli) suffixes and exponents (1e3).
import { PodbayError } from '../../../shared/errors.ts';

const suffixes: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const pattern = /^([+]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d{1,3})|(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE]))?$/;

/** The value of `quantity`; not a quantity → ErrInvalidArg naming `what` (the field's path). */
export function parseQuantity(quantity: string | number, what: string): number {
  if (typeof quantity === 'number') return quantity;
  const match = pattern.exec(quantity.trim());
  if (!match) throw new PodbayError('ErrInvalidArg', `${what}: "${quantity}" is not a quantity (e.g. 128Mi, 500m, 1.5)`);
  const base = Number(match[1]);
  const value = match[2] ? base * 10 ** Number(match[2].slice(1)) : base * (suffixes[match[3] ?? ''] ?? 1);
  if (!Number.isFinite(value)) throw new PodbayError('ErrInvalidArg', `${what}: "${quantity}" is out of range`);
  return value;
}

/** Memory in whole bytes (rounded up, as Kubernetes rounds fractional bytes). */
export function memoryBytes(quantity: string | number, what: string): number {
  const bytes = Math.ceil(parseQuantity(quantity, what));
  if (!Number.isSafeInteger(bytes)) throw new PodbayError('ErrInvalidArg', `${what}: "${quantity}" is out of range`);
  return bytes;
}

/** CPUs as a number of cores (`500m` → 0.5). */
export function cpuCores(quantity: string | number, what: string): number {
  return parseQuantity(quantity, what);
}

/** The shortest exact way Kubernetes writes a byte count: `64Mi`, `1Gi`, else the plain number. */
export function formatMemory(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const size = suffixes[unit] as number;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** Cores as millicores (`0.5` → `500m`), whole cores plainly (`2`). */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
