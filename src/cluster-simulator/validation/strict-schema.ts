type Schema = Record<string, unknown>;

/**
 * A copy of a schema where every object that lists its properties refuses others, as KubeVirt's
 * webhook forces additionalProperties=false on every definition it checks spec against. CRD nodes
 * marked x-kubernetes-preserve-unknown-fields keep accepting anything.
 */
export function strictCopy<T>(node: T): T {
  if (Array.isArray(node)) return node.map((item) => strictCopy(item)) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    // property maps: their keys are field names, not schema keywords
    if (key === 'properties' || key === 'definitions') {
      copy[key] = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, strictCopy(v)]));
    } else copy[key] = strictCopy(value);
  }
  if (copy.properties && copy.additionalProperties === undefined && copy['x-kubernetes-preserve-unknown-fields'] !== true) {
    copy.additionalProperties = false;
  }
  return copy as T;
}

/** Swagger 2.0 of core Kubernetes types is stricter than the real server: it takes numbers for these. */
export function loosenCoreScalars(definitions: Schema): Schema {
  const copy = { ...definitions };
  for (const [name, def] of Object.entries(copy)) {
    if (name.endsWith('api.resource.Quantity')) copy[name] = { ...(def as Schema), type: ['string', 'number', 'integer'] };
    if (name.endsWith('util.intstr.IntOrString')) copy[name] = { description: (def as Schema).description, type: ['string', 'integer'] };
  }
  return copy;
}
