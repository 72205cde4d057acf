/**
 * OVSDB's JSON value notation (RFC 7047 section 5.1). A set of exactly one element may travel as the
 * bare atom ("interfaces": ["uuid", "..."], "addresses": "52:54:... 10.0.0.5") or as
 * ["set", [...]]; an empty optional is ["set", []]; a map is always ["map", [[k, v], ...]]. The
 * decoders accept every form the server may send, so callers never look at the wire shape.
 */
export type Uuid = ['uuid', string];
export type NamedUuid = ['named-uuid', string];
export type OvsdbAtom = string | number | boolean | Uuid | NamedUuid;
export type OvsdbSet = ['set', OvsdbAtom[]];
export type OvsdbMap = ['map', Array<[OvsdbAtom, OvsdbAtom]>];
export type OvsdbValue = OvsdbAtom | OvsdbSet | OvsdbMap;
export type OvsdbRow = Record<string, OvsdbValue>;

export const uuid = (id: string): Uuid => ['uuid', id];
export const namedUuid = (name: string): NamedUuid => ['named-uuid', name];
export const ovsdbSet = (atoms: readonly OvsdbAtom[]): OvsdbSet => ['set', [...atoms]];

export function ovsdbMap(entries: Record<string, string> | ReadonlyMap<string, string>): OvsdbMap {
  const pairs = entries instanceof Map ? [...entries] : Object.entries(entries);
  return ['map', pairs.map(([k, v]) => [k, v] as [OvsdbAtom, OvsdbAtom])];
}

const isTagged = (value: unknown, tag: string): value is [string, unknown] =>
  Array.isArray(value) && value.length === 2 && value[0] === tag;

export function isUuid(value: unknown): value is Uuid {
  return isTagged(value, 'uuid') && typeof value[1] === 'string';
}

/** A set column in either form, as its atoms. */
export function decodeSet(value: unknown): OvsdbAtom[] {
  if (isTagged(value, 'set')) {
    if (!Array.isArray(value[1])) throw new OvsdbDecodeError('a set whose elements are not an array', value);
    return value[1].map(decodeAtom);
  }
  return [decodeAtom(value)];
}

export function decodeAtom(value: unknown): OvsdbAtom {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (isUuid(value) || (isTagged(value, 'named-uuid') && typeof value[1] === 'string')) return value as OvsdbAtom;
  throw new OvsdbDecodeError('not an OVSDB atom', value);
}

export function decodeStringSet(value: unknown): string[] {
  return decodeSet(value).map((atom) => {
    if (typeof atom !== 'string') throw new OvsdbDecodeError('a set of strings holds a non-string', value);
    return atom;
  });
}

/** A set of references, as the referenced rows' uuids. */
export function decodeUuidSet(value: unknown): string[] {
  return decodeSet(value).map((atom) => {
    if (!isUuid(atom)) throw new OvsdbDecodeError('a set of uuids holds a non-uuid', value);
    return atom[1];
  });
}

export function decodeUuid(value: unknown): string {
  if (!isUuid(value)) throw new OvsdbDecodeError('not a uuid', value);
  return value[1];
}

/** An optional column (a set of at most one): the atom, or null when the set is empty. */
export function decodeOptional(value: unknown): OvsdbAtom | null {
  const atoms = decodeSet(value);
  if (atoms.length > 1) throw new OvsdbDecodeError('an optional value holds more than one atom', value);
  return atoms[0] ?? null;
}

/** A string-to-string map column (external_ids, options, other_config). */
export function decodeStringMap(value: unknown): Record<string, string> {
  if (!isTagged(value, 'map') || !Array.isArray(value[1])) throw new OvsdbDecodeError('not a map', value);
  const out: Record<string, string> = {};
  for (const pair of value[1]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new OvsdbDecodeError('a string map holds a non-string pair', value);
    }
    out[pair[0]] = pair[1];
  }
  return out;
}

/** The server sent a value the schema does not allow where it was read; a bug or a schema drift. */
export class OvsdbDecodeError extends Error {
  constructor(
    message: string,
    readonly value: unknown,
  ) {
    super(`${message}: ${JSON.stringify(value)}`);
    this.name = 'OvsdbDecodeError';
  }
}
