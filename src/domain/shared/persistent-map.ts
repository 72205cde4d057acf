const WIDTH = 64;

type Leaf<V> = ReadonlyArray<readonly [string, V]>;
type Level<V> = ReadonlyArray<Leaf<V> | undefined>;
type Root<V> = ReadonlyArray<Level<V> | undefined>;

/**
 * An immutable string-keyed map whose set and delete copy only one path (two 64-slot arrays and one
 * small bucket), not the whole map. Aggregate states must stay immutable (the executor caches
 * folded states and folds on from them), yet a subnet folds tens of thousands of allocations: copying
 * a Set per event would make loading it quadratic.
 */
export class PersistentMap<V> {
  private static readonly EMPTY = new PersistentMap<never>([], 0);

  private constructor(
    private readonly root: Root<V>,
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  /** Builds in one pass (no path copying): restoring a snapshot of 50,000 entries costs one insert each. */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    type Bucket = (readonly [string, V])[];
    const root = emptySlots<(Bucket | undefined)[]>();
    let size = 0;
    for (const [key, value] of entries) {
      const [a, b] = slots(key);
      const level = (root[a] ??= emptySlots<Bucket>());
      const leaf = (level[b] ??= []);
      const at = leaf.findIndex(([k]) => k === key);
      if (at >= 0) leaf[at] = [key, value];
      else (leaf.push([key, value]), size++);
    }
    // The arrays were only ever seen here; from now on they are treated as immutable like any other.
    return size === 0 ? PersistentMap.empty<V>() : new PersistentMap<V>(root as Root<V>, size);
  }

  get(key: string): V | undefined {
    const [a, b] = slots(key);
    return this.root[a]?.[b]?.find(([k]) => k === key)?.[1];
  }

  has(key: string): boolean {
    const [a, b] = slots(key);
    return this.root[a]?.[b]?.some(([k]) => k === key) ?? false;
  }

  set(key: string, value: V): PersistentMap<V> {
    const [a, b] = slots(key);
    const leaf = this.root[a]?.[b] ?? [];
    const at = leaf.findIndex(([k]) => k === key);
    if (at >= 0 && Object.is(leaf[at]![1], value)) return this;
    const next = leaf.slice();
    next[at >= 0 ? at : leaf.length] = [key, value] as const;
    return this.withLeaf(a, b, next, at >= 0 ? this.size : this.size + 1);
  }

  delete(key: string): PersistentMap<V> {
    const [a, b] = slots(key);
    const leaf = this.root[a]?.[b];
    if (!leaf || !leaf.some(([k]) => k === key)) return this;
    const next = leaf.filter(([k]) => k !== key);
    return this.withLeaf(a, b, next.length ? next : undefined, this.size - 1);
  }

  *entries(): IterableIterator<readonly [string, V]> {
    for (const level of this.root) for (const leaf of level ?? []) yield* leaf ?? [];
  }

  keys(): string[] {
    return [...this.entries()].map(([k]) => k);
  }

  private withLeaf(a: number, b: number, leaf: Leaf<V> | undefined, size: number): PersistentMap<V> {
    // slice() of packed arrays is a memory copy; spreading holey ones is many times slower.
    const level = this.root[a] ? this.root[a].slice() : emptySlots<Leaf<V>>();
    level[b] = leaf;
    const root = this.root.length ? this.root.slice() : emptySlots<Level<V>>();
    root[a] = level;
    return new PersistentMap(root, size);
  }
}

const emptySlots = <T>(): (T | undefined)[] => new Array<T | undefined>(WIDTH).fill(undefined);

/** FNV-1a of the key, split into the two 6-bit slot numbers of its path. */
function slots(key: string): [number, number] {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return [(hash >>> 26) & 63, (hash >>> 20) & 63];
}
