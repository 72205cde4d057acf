import { PersistentMap } from '../shared/persistent-map.js';

/**
 * The addresses of one subnet held by ports: canonical address text → port id. Keyed by text so a
 * fold never parses an address (parsing an IPv6 address costs more than the whole map update): a
 * subnet of 50,000 allocation events folds with map updates only. Immutable (see PersistentMap).
 */
export class AllocationTable {
  private static readonly EMPTY = new AllocationTable(PersistentMap.empty());

  private constructor(private readonly map: PersistentMap<string>) {}

  static empty(): AllocationTable {
    return AllocationTable.EMPTY;
  }

  /** From [address, portId] pairs in one pass (a snapshot restore). */
  static from(entries: Iterable<readonly [string, string]>): AllocationTable {
    return new AllocationTable(PersistentMap.from(entries));
  }

  get size(): number {
    return this.map.size;
  }

  /** address: canonical text (see formatIp). */
  holderOf(address: string): string | undefined {
    return this.map.get(address);
  }

  isAllocated(address: string): boolean {
    return this.map.has(address);
  }

  with(address: string, portId: string): AllocationTable {
    return new AllocationTable(this.map.set(address, portId));
  }

  without(address: string): AllocationTable {
    const map = this.map.delete(address);
    return map === this.map ? this : new AllocationTable(map);
  }

  /** [address, portId] of every allocation, in no particular order. */
  entries(): IterableIterator<readonly [string, string]> {
    return this.map.entries();
  }
}
