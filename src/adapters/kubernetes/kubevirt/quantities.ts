const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes resource.Quantity ("2Gi", "500m", "1e3", 4) as a number of base units; null if unreadable. */
export function parseQuantity(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return null;
  const number = Number(match[1]);
  const suffix = match[2]!;
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  if (factor === undefined || Number.isNaN(number)) return null;
  return number * factor;
}

export function quantityMiB(value: unknown): number | null {
  const bytes = parseQuantity(value);
  return bytes === null ? null : Math.round(bytes / 2 ** 20);
}

export function quantityCpu(value: unknown): number | null {
  const cpu = parseQuantity(value);
  return cpu === null ? null : Math.round(cpu * 1000) / 1000;
}
