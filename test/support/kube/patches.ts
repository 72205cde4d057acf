type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge, null deletes, anything else (lists too) replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** Just enough strategic merge for a pod resize: containers merge by name, the rest as merge patch. */
export function applyPodStrategicPatch(pod: Json, patch: Json): Json {
  const containers = ((patch.spec as Json | undefined)?.containers as Json[] | undefined) ?? [];
  const specPatch = { ...((patch.spec as Json | undefined) ?? {}) };
  delete specPatch.containers;
  const merged = applyMergePatch(pod, { ...patch, spec: specPatch }) as Json;
  const spec = merged.spec as Json;
  spec.containers = ((spec.containers as Json[]) ?? []).map((c) => {
    const update = containers.find((u) => u.name === c.name);
    return update ? (applyMergePatch(c, update) as Json) : c;
  });
  return merged;
}
