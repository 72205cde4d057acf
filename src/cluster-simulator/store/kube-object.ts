/** A Kubernetes object as JSON, with the metadata fields the simulator reads typed. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- schema-checked JSON, read by controllers
  status?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  [key: string]: unknown;
}

/**
 * A deep copy with JSON's semantics (undefined and functions dropped from objects, null in arrays),
 * without the text round trip: the store copies every object it hands out, and the controllers
 * read every object each step.
 */
export const cloneObject = <T>(value: T): T => cloneJson(value) as T;

function cloneJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      copy[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : cloneJson(item);
    }
    return copy;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value)) as unknown;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    copy[key] = cloneJson(item);
  }
  return copy;
}

/** Seconds precision, as metav1.Time serialises. */
export const kubeTime = (date = new Date()): string => `${date.toISOString().slice(0, 19)}Z`;

export const ownerReference = (owner: KubeObject): OwnerReference => ({
  apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true,
});

const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
/** The 5 characters the API server appends for generateName (k8s.io/apiserver names.SimpleNameGenerator). */
export function randomSuffix(random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += suffixAlphabet[Math.floor(random() * suffixAlphabet.length)];
  return out;
}
