const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes Quantity ("500m", "4Gi", 2) as a plain number of base units. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const m = /^([+-]?[0-9.]+)(e[+-]?\d+|E[+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(value.trim());
  if (!m) return Number.NaN;
  const number = Number(m[1]);
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * (binary[suffix] ?? decimal[suffix] ?? 1);
}

export const cpuMillis = (value: unknown): number => Math.round(parseQuantity(value) * 1000);
export const memoryBytes = (value: unknown): number => Math.round(parseQuantity(value));
export const mebibytes = (bytes: number): string => `${Math.round(bytes / 2 ** 20)}Mi`;
