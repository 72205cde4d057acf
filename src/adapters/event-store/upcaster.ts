/**
 * Old events are never rewritten. When an event's shape changes it gets a new schema version, and an
 * upcaster lifts the old version one step on read. Upcasters chain: v1 -> v2 -> v3.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  /** Returns the data as schema version fromVersion + 1 would hold it. */
  upcast(data: unknown): unknown;
}

export class UpcasterChain {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const u of upcasters) {
      const versions = this.byType.get(u.type) ?? new Map<number, Upcaster>();
      if (versions.has(u.fromVersion)) throw new Error(`Two upcasters for ${u.type} v${u.fromVersion}`);
      versions.set(u.fromVersion, u);
      this.byType.set(u.type, versions);
    }
  }

  /** Lifts data of `type` at `schemaVersion` as far as the chain goes. */
  upcast(type: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
    const versions = this.byType.get(type);
    if (!versions) return { schemaVersion, data };
    let version = schemaVersion;
    let current = data;
    for (let step = versions.get(version); step; step = versions.get(version)) {
      current = step.upcast(current);
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }
}
