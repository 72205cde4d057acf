import {
  alreadyExists, ApiError, badRequest, conflict, invalid, namespaceNotFound, notFound, unsupportedMediaType, type StatusCause,
} from '../api-errors.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, JsonPatchTestFailed } from '../patch.js';
import { apiVersionOf, findResourceType, type ResourceType } from '../resources.js';
import type { SchemaValidator } from '../validation/schema-validator.js';
import { cloneObject, kubeTime, randomSuffix, type KubeObject } from './kube-object.js';
import type { ObjectFilter, ObjectStore, StoreChange } from './object-store.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  type: ResourceType;
  object: KubeObject;
  oldObject?: KubeObject;
  subresource?: string;
}

/** A validating webhook: throws an ApiError to refuse. */
export type AdmissionHook = (request: AdmissionRequest) => void;

export interface WriteOptions {
  subresource?: 'status' | 'resize';
  dryRun?: boolean;
}

const customResourcePatchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const corePatchTypes = [...customResourcePatchTypes, 'application/strategic-merge-patch+json'];

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The API server's rules over the store: metadata (uid, resourceVersion, generation, timestamps),
 * optimistic concurrency, the status subresource, finalizers and deletionTimestamp, schema
 * validation and admission hooks. The HTTP layer and the simulated controllers both write through it.
 */
export class ResourceService {
  private readonly admission: AdmissionHook[] = [];

  constructor(private readonly store: ObjectStore, private readonly validator: SchemaValidator, private readonly random: () => number = Math.random) {}

  addAdmissionHook(hook: AdmissionHook): void {
    this.admission.push(hook);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(type, namespace, name);
  }

  /** `where` looks at the stored objects (it must not change them) and only those it keeps are copied. */
  list(type: ResourceType, namespace?: string, where?: ObjectFilter): KubeObject[] {
    return this.store.list(type, namespace, where);
  }

  /** The stored object, uncopied (it must not be changed): for looking, not for writing back. */
  peek(type: ResourceType, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined {
    return this.store.peek(type, namespace, name);
  }

  /** The stored objects of a type, uncopied and unsorted (they must not be changed). */
  scan(type: ResourceType, namespace?: string): Iterable<Readonly<KubeObject>> {
    return this.store.scan(type, namespace);
  }

  /** Store changes as they happen (the informers' source: the simulated controllers' work queues). */
  onChange(listener: (change: StoreChange) => void): void {
    this.store.onChange(listener);
  }

  create(type: ResourceType, namespace: string | undefined, body: unknown, options: WriteOptions = {}): KubeObject {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request is not a JSON object');
    const object = cloneObject(body) as KubeObject;
    object.metadata = { ...(object.metadata ?? {}) } as KubeObject['metadata'];
    this.checkKind(type, object);
    if (type.namespaced) {
      if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = namespace;
      if (!this.namespaceExists(namespace!)) throw namespaceNotFound(namespace!);
    } else delete object.metadata.namespace;
    if (!object.metadata.name && object.metadata.generateName) object.metadata.name = `${object.metadata.generateName}${randomSuffix(this.random)}`;
    this.checkName(type, object);
    if (this.store.get(type, object.metadata.namespace, object.metadata.name)) throw alreadyExists(type, object.metadata.name);
    // Server-owned metadata is the server's to set.
    for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'managedFields', 'selfLink']) {
      delete object.metadata[key];
    }
    object.metadata.creationTimestamp = kubeTime();
    object.metadata.generation = 1;
    if (type.statusSubresource) delete object.status;
    this.validate(type, object);
    this.admit({ operation: 'CREATE', type, object });
    if (options.dryRun) return { ...object, metadata: { ...object.metadata, uid: 'dry-run', resourceVersion: String(this.store.currentRevision) } };
    return this.store.insert(type, object);
  }

  /** PUT: a stale metadata.resourceVersion is 409 Conflict; none means "whatever is current". */
  replace(type: ResourceType, namespace: string | undefined, name: string, body: unknown, options: WriteOptions = {}): KubeObject {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request is not a JSON object');
    const current = this.get(type, namespace, name);
    const incoming = cloneObject(body) as KubeObject;
    incoming.metadata = { ...(incoming.metadata ?? {}) } as KubeObject['metadata'];
    if (incoming.metadata.name && incoming.metadata.name !== name) {
      throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    }
    this.checkKind(type, incoming);
    if (incoming.metadata.resourceVersion && incoming.metadata.resourceVersion !== current.metadata.resourceVersion) throw conflict(type, name);
    return this.write(type, current, incoming, options);
  }

  patch(type: ResourceType, namespace: string | undefined, name: string, contentType: string, rawBody: string, options: WriteOptions = {}): KubeObject {
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    const accepted = type.group === '' ? corePatchTypes : customResourcePatchTypes;
    if (!accepted.includes(mediaType)) throw unsupportedMediaType(accepted);
    let patchBody: unknown;
    try {
      // apply-patch+yaml: JSON is YAML, and JSON is what client-node sends; block-style YAML is not parsed
      patchBody = JSON.parse(rawBody);
    } catch (error) {
      throw badRequest(`error decoding patch: ${(error as Error).message}${mediaType === 'application/apply-patch+yaml' ? ' (the simulator takes apply patches in JSON form only)' : ''}`);
    }
    const current = this.store.get(type, namespace, name);
    if (!current) {
      // server-side apply creates what is missing
      if (mediaType === 'application/apply-patch+yaml' && !options.subresource) return this.create(type, namespace, patchBody, options);
      throw notFound(type, name);
    }
    let patched: KubeObject;
    try {
      switch (mediaType) {
        case 'application/json-patch+json': patched = applyJsonPatch(current, patchBody) as KubeObject; break;
        case 'application/strategic-merge-patch+json': patched = applyStrategicMergePatch(current, patchBody) as KubeObject; break;
        default: patched = applyMergePatch(current, patchBody) as KubeObject;
      }
    } catch (error) {
      if (error instanceof JsonPatchTestFailed) throw new ApiError(422, 'Invalid', error.message);
      throw error;
    }
    if (!patched || typeof patched !== 'object' || !patched.metadata) throw badRequest('the patch removed the object');
    if (patched.metadata.name !== name) throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`);
    // A patch carrying metadata.resourceVersion is a precondition (kubevirt-api.md §11).
    if (patched.metadata.resourceVersion !== current.metadata.resourceVersion) throw conflict(type, name);
    return this.write(type, current, patched, options);
  }

  /**
   * DELETE: with finalizers the object only gets a deletionTimestamp and goes once they are
   * removed; pods wait for the kubelet unless the grace period is 0.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string, options: { uid?: string; resourceVersion?: string; gracePeriodSeconds?: number } = {}): KubeObject {
    const current = this.get(type, namespace, name);
    if (options.uid && options.uid !== current.metadata.uid) {
      throw conflict(type, name, `Precondition failed: UID in precondition: ${options.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (options.resourceVersion && options.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(type, name, `Precondition failed: ResourceVersion in precondition: ${options.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    this.admit({ operation: 'DELETE', type, object: current, oldObject: current });
    const graceful = type.plural === 'pods' && options.gracePeriodSeconds !== 0;
    if ((current.metadata.finalizers?.length ?? 0) > 0 || graceful || type.plural === 'namespaces') {
      if (current.metadata.deletionTimestamp) return current;
      const marked = cloneObject(current);
      marked.metadata.deletionTimestamp = kubeTime();
      marked.metadata.deletionGracePeriodSeconds = options.gracePeriodSeconds ?? (type.plural === 'pods' ? 30 : 0);
      if (type.plural === 'namespaces') marked.status = { ...(marked.status ?? {}), phase: 'Terminating' };
      return this.store.replace(type, marked);
    }
    return this.store.remove(type, namespace, name)!;
  }

  /** Removes an object outright (the kubelet after termination, the garbage collector). */
  purge(type: ResourceType, namespace: string | undefined, name: string): void {
    this.store.remove(type, namespace, name);
  }

  namespaceExists(namespace: string): boolean {
    return this.store.get(findResourceType('', 'v1', 'namespaces')!, undefined, namespace) !== undefined;
  }

  private write(type: ResourceType, current: KubeObject, incoming: KubeObject, options: WriteOptions): KubeObject {
    const next = this.compose(type, current, incoming, options);
    if (sameJson(next, current)) return current; // a no-op write keeps its resourceVersion, as the real server
    this.validate(type, next);
    this.admit({ operation: 'UPDATE', type, object: next, oldObject: current, ...(options.subresource ? { subresource: options.subresource } : {}) });
    if (options.dryRun) return next;
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers?.length ?? 0) === 0 && type.plural !== 'pods' && type.plural !== 'namespaces') {
      return this.store.remove(type, next.metadata.namespace, next.metadata.name)!;
    }
    return this.store.replace(type, next);
  }

  /** What a write leaves stored: server-owned metadata kept, status or spec kept depending on the subresource. */
  private compose(type: ResourceType, current: KubeObject, incoming: KubeObject, options: WriteOptions): KubeObject {
    const keepMeta = {
      name: current.metadata.name,
      ...(current.metadata.namespace ? { namespace: current.metadata.namespace } : {}),
      uid: current.metadata.uid,
      resourceVersion: current.metadata.resourceVersion,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: current.metadata.generation ?? 1,
      ...(current.metadata.deletionTimestamp ? { deletionTimestamp: current.metadata.deletionTimestamp, deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds } : {}),
    };
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...cloneObject(current), status: cloneObject(incoming.status) };
      if (incoming.status === undefined) delete next.status;
      // the status endpoint also takes labels, annotations and the like, not spec
      next.metadata = { ...cloneObject(incoming.metadata), ...keepMeta };
    } else if (options.subresource === 'resize') {
      next = cloneObject(current);
      next.spec = { ...next.spec, containers: (current.spec.containers as Array<Record<string, unknown>>).map((c) => {
        const wanted = (incoming.spec?.containers as Array<Record<string, unknown>> | undefined)?.find((w) => w.name === c.name);
        return wanted ? { ...c, resources: cloneObject(wanted.resources), ...(wanted.resizePolicy ? { resizePolicy: cloneObject(wanted.resizePolicy) } : {}) } : c;
      }) };
      const otherChanges = { ...cloneObject(incoming), metadata: undefined, status: undefined, spec: { ...incoming.spec, containers: undefined } };
      const allowed = { ...cloneObject(current), metadata: undefined, status: undefined, spec: { ...current.spec, containers: undefined } };
      if (!sameJson(otherChanges, allowed) || !sameJson(stripResources(incoming.spec?.containers), stripResources(current.spec.containers))) {
        throw invalid(type, current.metadata.name, [{ reason: 'FieldValueForbidden', message: 'Forbidden: only cpu and memory resources are mutable', field: 'spec' }]);
      }
    } else {
      next = cloneObject(incoming);
      next.metadata = { ...cloneObject(incoming.metadata), ...keepMeta };
      if (type.statusSubresource) {
        if (current.status === undefined) delete next.status;
        else next.status = cloneObject(current.status);
      }
    }
    next.apiVersion = current.apiVersion;
    next.kind = current.kind;
    // binding a pod to a node (the scheduler's pods/binding) is not a spec change a client made
    const comparable = (spec: unknown) => (type.plural === 'pods' && spec && typeof spec === 'object' ? { ...spec, nodeName: undefined } : spec);
    const specChanged = type.statusSubresource
      ? !sameJson(comparable(next.spec), comparable(current.spec))
      : !sameJson({ ...next, metadata: undefined }, { ...current, metadata: undefined });
    if (specChanged && options.subresource !== 'status') next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (current.metadata.deletionTimestamp && !sameJson(next.spec, current.spec) && type.group === 'kubevirt.io') {
      // KubeVirt refuses spec changes on a terminating object as the webhook would
      throw invalid(type, current.metadata.name, [{ reason: 'FieldValueForbidden', message: 'the object is being deleted' }]);
    }
    return next;
  }

  private checkKind(type: ResourceType, object: KubeObject): void {
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersionOf(type)})`);
    }
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersionOf(type)) {
      throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersionOf(type)})`);
    }
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
  }

  private checkName(type: ResourceType, object: KubeObject): void {
    const name = object.metadata.name;
    if (!name) throw invalid(type, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    const pattern = type.plural === 'namespaces' ? dnsLabel : dnsSubdomain;
    if (!pattern.test(name) || name.length > 253) {
      const what = type.plural === 'namespaces' ? 'RFC 1123 label' : 'lowercase RFC 1123 subdomain';
      throw invalid(type, name, [{
        reason: 'FieldValueInvalid', field: 'metadata.name',
        message: `Invalid value: "${name}": a ${what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      }]);
    }
  }

  private validate(type: ResourceType, object: KubeObject): void {
    const causes: StatusCause[] = this.validator.validate(type, object);
    if (causes.length === 0) return;
    if (type.group === 'kubevirt.io') {
      // KubeVirt's validating webhook answers, with its own message prefix
      const webhook = `${type.singular.replace('virtualmachineinstancemigration', 'migration-create').replace('virtualmachineinstance', 'virtualmachineinstances-create').replace(/^virtualmachine$/, 'virtualmachine')}-validator.kubevirt.io`;
      throw new ApiError(422, 'Invalid', `admission webhook "${webhook}" denied the request: ${causes.map((c) => c.message).join(', ')}`, {
        name: object.metadata.name, group: type.group, kind: type.kind, causes,
      });
    }
    throw invalid(type, object.metadata.name, causes);
  }

  private admit(request: AdmissionRequest): void {
    for (const hook of this.admission) hook(request);
  }
}

function stripResources(containers: unknown): unknown {
  return Array.isArray(containers) ? containers.map((c: Record<string, unknown>) => ({ ...c, resources: undefined, resizePolicy: undefined })) : containers;
}
