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

export const cloneObject = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

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
