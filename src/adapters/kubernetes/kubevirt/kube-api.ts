import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type ConfigurationOptions,
  type KubeConfig,
  type RequestContext,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { asKubeApiError } from './kube-errors.js';
import { rawRequest } from './kube-raw-request.js';
import { KUBEVIRT, type KubeObject } from './kubevirt-manifests.js';

/** A KubeVirt-group custom resource as read: metadata we rely on, the rest as JSON. */
export type CustomObject = KubeObject & {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

export type KubevirtPlural = 'virtualmachines' | 'virtualmachineinstances' | 'virtualmachineinstancemigrations';

/** The content types a patch may use; a strategic merge patch is only for core objects. */
export type CustomPatchType = typeof PatchStrategy.MergePatch | typeof PatchStrategy.JsonPatch;

/**
 * The API calls the adapter makes, each bounded by `timeoutMs` and failing with a KubeApiError.
 * Patch content types are set per call through a middleware that overrides the generated client's
 * default header (client-node 2 picks json-patch for every custom-object patch otherwise).
 */
export class KubeApi {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(
    readonly config: KubeConfig,
    private readonly timeoutMs: number,
  ) {
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.core = config.makeApiClient(CoreV1Api);
  }

  async getCustom(plural: KubevirtPlural, namespace: string, name: string): Promise<CustomObject | null> {
    try {
      return (await this.custom.getNamespacedCustomObject({ ...KUBEVIRT, plural, namespace, name }, this.options())) as CustomObject;
    } catch (error) {
      const api = asKubeApiError(error);
      if (api.status === 404) return null;
      throw api;
    }
  }

  /** Every namespace when none is given; the list's resourceVersion is where a watch resumes. */
  async listCustom(plural: KubevirtPlural, namespace?: string): Promise<{ items: CustomObject[]; resourceVersion: string }> {
    const list = (await this.call(() =>
      namespace === undefined
        ? this.custom.listClusterCustomObject({ ...KUBEVIRT, plural }, this.options())
        : this.custom.listNamespacedCustomObject({ ...KUBEVIRT, plural, namespace }, this.options()),
    )) as { items?: CustomObject[]; metadata?: { resourceVersion?: string } };
    return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  async createCustom(plural: KubevirtPlural, namespace: string, body: KubeObject): Promise<CustomObject> {
    return (await this.call(() => this.custom.createNamespacedCustomObject({ ...KUBEVIRT, plural, namespace, body }, this.options()))) as CustomObject;
  }

  async patchCustom(plural: KubevirtPlural, namespace: string, name: string, body: unknown, type: CustomPatchType): Promise<CustomObject> {
    return (await this.call(() =>
      this.custom.patchNamespacedCustomObject({ ...KUBEVIRT, plural, namespace, name, body }, this.options(type)),
    )) as CustomObject;
  }

  /** Resolves false when the object was already gone. */
  async deleteCustom(plural: KubevirtPlural, namespace: string, name: string): Promise<boolean> {
    try {
      await this.custom.deleteNamespacedCustomObject({ ...KUBEVIRT, plural, namespace, name }, this.options());
      return true;
    } catch (error) {
      const api = asKubeApiError(error);
      if (api.status === 404) return false;
      throw api;
    }
  }

  /** A KubeVirt action: PUT on the subresources.kubevirt.io group (kubevirt-api.md §2, §3). */
  async action(plural: 'virtualmachines' | 'virtualmachineinstances', namespace: string, name: string, action: string, body: unknown = {}): Promise<void> {
    const path = `/apis/subresources.kubevirt.io/v1/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}/${action}`;
    await rawRequest(this.config, 'PUT', path, body, this.timeoutMs);
  }

  async namespaceExists(name: string): Promise<boolean> {
    try {
      await this.core.readNamespace({ name }, this.options());
      return true;
    } catch (error) {
      const api = asKubeApiError(error);
      if (api.status === 404) return false;
      throw api;
    }
  }

  async createNamespace(body: KubeObject): Promise<void> {
    await this.call(() => this.core.createNamespace({ body: body as never }, this.options()));
  }

  async createSecret(namespace: string, body: KubeObject): Promise<void> {
    await this.call(() => this.core.createNamespacedSecret({ namespace, body: body as never }, this.options()));
  }

  async deleteSecret(namespace: string, name: string): Promise<void> {
    try {
      await this.core.deleteNamespacedSecret({ namespace, name }, this.options());
    } catch (error) {
      const api = asKubeApiError(error);
      if (api.status !== 404) throw api;
    }
  }

  async listPods(namespace: string, labelSelector: string): Promise<V1Pod[]> {
    const list = await this.call(() => this.core.listNamespacedPod({ namespace, labelSelector }, this.options()));
    return list.items;
  }

  async readPodResize(namespace: string, name: string): Promise<V1Pod> {
    return this.call(() => this.core.readNamespacedPodResize({ namespace, name }, this.options()));
  }

  /** A strategic merge patch is right here: Pods are core objects and containers merge by name. */
  async patchPodResize(namespace: string, name: string, body: unknown): Promise<V1Pod> {
    return this.call(() => this.core.patchNamespacedPodResize({ namespace, name, body }, this.options(PatchStrategy.StrategicMergePatch)));
  }

  /** A merge patch of a pod's metadata (annotations, labels). */
  async patchPodMetadata(namespace: string, name: string, metadata: Record<string, unknown>): Promise<V1Pod> {
    return this.call(() => this.core.patchNamespacedPod({ namespace, name, body: { metadata } }, this.options(PatchStrategy.MergePatch)));
  }

  async listNodes(): Promise<V1Node[]> {
    return (await this.call(() => this.core.listNode({}, this.options()))).items;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw asKubeApiError(error);
    }
  }

  /**
   * Per-call options: a request timeout, and the patch content type through client-node's
   * setHeaderOptions (its middleware replaces the generated client's default Content-Type).
   */
  private options(contentType?: string): ConfigurationOptions {
    const timeoutMs = this.timeoutMs;
    const timeout = {
      pre: (context: RequestContext) => resolved(withSignal(context, AbortSignal.timeout(timeoutMs))),
      post: (response: unknown) => resolved(response),
    };
    const base = { middleware: [timeout], middlewareMergeStrategy: 'append' } as unknown as ConfigurationOptions;
    return contentType ? setHeaderOptions('Content-Type', contentType, base) : base;
  }
}

function withSignal(context: RequestContext, signal: AbortSignal): RequestContext {
  context.setSignal(signal);
  return context;
}

/**
 * The object-parameter API runs middleware as client-node's own minimal observables (promise,
 * toPromise, pipe); this is that shape for a value already at hand.
 */
function resolved<T>(value: T): { promise: Promise<T>; toPromise(): Promise<T>; pipe<U>(next: (v: T) => U): unknown } {
  const promise = Promise.resolve(value);
  return { promise, toPromise: () => promise, pipe: (next) => resolvedPromise(promise.then(next)) };
}

function resolvedPromise<T>(promise: Promise<T>): { promise: Promise<T>; toPromise(): Promise<T>; pipe<U>(next: (v: T) => U): unknown } {
  return { promise, toPromise: () => promise, pipe: (next) => resolvedPromise(promise.then(next)) };
}
