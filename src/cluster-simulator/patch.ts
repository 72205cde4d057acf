import { ApiError, badRequest } from './api-errors.js';

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** RFC 7386 JSON merge patch: objects merge, null deletes, anything else (arrays too) replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/** A failed `test` operation: the API server answers 422 Invalid, not 409 (kubernetes#68202). */
export class JsonPatchTestFailed extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${pointer}"`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[], pointer: string): { parent: JsonObject | unknown[]; key: string } {
  let node: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined) throw missing(pointer);
  }
  if (!Array.isArray(node) && !isObject(node)) throw missing(pointer);
  return { parent: node, key: tokens[tokens.length - 1]! };
}

const missing = (pointer: string) =>
  new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: doc is missing path: "${pointer}": missing value`);

function getAt(doc: Json, pointer: string): unknown {
  let node: unknown = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function arrayIndex(key: string, length: number, forAdd: boolean, pointer: string): number {
  if (forAdd && key === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw missing(pointer);
  const index = Number(key);
  if (index > length || (!forAdd && index >= length)) throw missing(pointer);
  return index;
}

function add(doc: Json, pointer: string, value: unknown): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true, pointer), 0, clone(value));
  else parent[key] = clone(value);
  return doc;
}

function remove(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, false, pointer), 1);
  else {
    if (!(key in parent)) throw missing(pointer);
    delete parent[key];
  }
  return doc;
}

/** RFC 6902 JSON patch, every operation including `test`, applied to a copy. */
export function applyJsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw badRequest('the server rejected our request due to an error in our request: json patch must be an array');
  let doc = clone(target);
  for (const raw of operations as JsonPatchOperation[]) {
    if (!isObject(raw) || typeof raw.path !== 'string') throw badRequest('the server rejected our request due to an error in our request: invalid json patch operation');
    switch (raw.op) {
      case 'add': doc = add(doc, raw.path, raw.value); break;
      case 'remove': doc = remove(doc, raw.path); break;
      case 'replace':
        if (getAt(doc, raw.path) === undefined) throw missing(raw.path);
        doc = add(remove(doc, raw.path), raw.path, raw.value);
        break;
      case 'move': {
        const value = getAt(doc, raw.from ?? '');
        if (value === undefined) throw missing(raw.from ?? '');
        doc = add(remove(doc, raw.from!), raw.path, value);
        break;
      }
      case 'copy': {
        const value = getAt(doc, raw.from ?? '');
        if (value === undefined) throw missing(raw.from ?? '');
        doc = add(doc, raw.path, value);
        break;
      }
      case 'test':
        if (JSON.stringify(canonical(getAt(doc, raw.path))) !== JSON.stringify(canonical(raw.value))) {
          throw new JsonPatchTestFailed(`the server rejected our request due to an error in our request: testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`the server rejected our request due to an error in our request: Unexpected kind: ${String((raw as JsonObject).op)}`);
    }
  }
  return doc;
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/**
 * Lists merged by key in core types' strategic merge patch (the patchMergeKey tags of k8s.io/api)
 * for the fields a Pod uses; other lists are replaced. `$patch: delete|replace` directives work.
 */
const mergeKeys: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', env: 'name', volumeMounts: 'name',
  ports: 'containerPort', conditions: 'type', ownerReferences: 'uid', imagePullSecrets: 'name', containerStatuses: 'name',
  hostAliases: 'ip', resourceClaims: 'name', volumeDevices: 'devicePath',
};
const setLists = new Set(['finalizers']);

export function applyStrategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const copy = { ...patch };
    delete copy.$patch;
    return clone(copy);
  }
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) delete result[key];
    else if (Array.isArray(value) && mergeKeys[key] && Array.isArray(result[key])) result[key] = mergeList(result[key] as unknown[], value, mergeKeys[key]!);
    else if (Array.isArray(value) && setLists.has(key) && Array.isArray(result[key])) result[key] = [...new Set([...(result[key] as unknown[]), ...value])];
    else result[key] = applyStrategicMergePatch(result[key], value, key);
  }
  void field;
  return result;
}

function mergeList(current: unknown[], patch: unknown[], mergeKey: string): unknown[] {
  const result = current.map((item) => clone(item));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) result[index] = applyStrategicMergePatch(result[index], item);
    else result.push(applyStrategicMergePatch({}, item));
  }
  return result;
}
