import { Watch } from '@kubernetes/client-node';
import type { VmChange, VmObservation } from '../cluster.port.js';
import type { CustomObject, KubeApi } from './kube-api.js';

export interface VmWatchOptions {
  /** A full relist (and fresh watches) this often, to catch anything a watch missed; default 5 min. */
  resyncMs?: number;
  /** Wait before reconnecting after a failed watch or list, doubled up to 30 s; default 500 ms. */
  retryDelayMs?: number;
  /** Asked of the server per watch request; default 300 s. */
  timeoutSeconds?: number;
}

type Plural = 'virtualmachines' | 'virtualmachineinstances';
type Observe = (vm: CustomObject, vmi: CustomObject | null) => VmObservation | null;

const key = (o: CustomObject): string => `${o.metadata.namespace}/${o.metadata.name}`;

/**
 * An informer over VirtualMachines and their VMIs: list both, report each VM ADDED, then watch both
 * from the lists' resourceVersions with bookmarks. A dropped watch resumes from the last
 * resourceVersion seen; a 410 Gone (an answer or an ERROR event) relists and reports the
 * difference against what was known, as does the periodic resync.
 */
export class VmWatch {
  private readonly vms = new Map<string, CustomObject>();
  private readonly vmis = new Map<string, CustomObject>();
  private readonly reported = new Map<string, string>();
  private readonly controllers = new Set<AbortController>();
  private readonly watch: Watch;
  private stopped = false;
  private generation = 0;
  private resyncTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly api: KubeApi,
    private readonly observe: Observe,
    private readonly listener: (change: VmChange) => void,
    private readonly options: VmWatchOptions = {},
  ) {
    this.watch = new Watch(api.config);
  }

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.resyncTimer);
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
  }

  /** Lists both kinds, reports what changed, and (re)starts both watches from the lists. */
  private async relist(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
    clearTimeout(this.resyncTimer);
    let lists: [Awaited<ReturnType<KubeApi['listCustom']>>, Awaited<ReturnType<KubeApi['listCustom']>>];
    try {
      lists = await Promise.all([this.api.listCustom('virtualmachines'), this.api.listCustom('virtualmachineinstances')]);
    } catch {
      this.retryLater(() => this.relist());
      return;
    }
    if (this.stopped || generation !== this.generation) return;
    this.failures = 0;
    const [vms, vmis] = lists;
    this.vmis.clear();
    for (const vmi of vmis.items) this.vmis.set(key(vmi), vmi);
    const seen = new Set<string>();
    for (const vm of vms.items) {
      seen.add(key(vm));
      this.vms.set(key(vm), vm);
      this.report(key(vm));
    }
    for (const [k, vm] of [...this.vms]) {
      if (seen.has(k)) continue;
      this.vms.delete(k);
      this.reportDeleted(k, vm);
    }
    this.follow('virtualmachines', vms.resourceVersion, generation);
    this.follow('virtualmachineinstances', vmis.resourceVersion, generation);
    this.resyncTimer = setTimeout(() => void this.relist(), this.options.resyncMs ?? 300_000);
    this.resyncTimer.unref();
  }

  private follow(plural: Plural, resourceVersion: string, generation: number): void {
    if (this.stopped || generation !== this.generation) return;
    let lastVersion = resourceVersion;
    let gone = false;
    const query = { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.options.timeoutSeconds ?? 300 };
    const onEvent = (type: string, object: CustomObject & { code?: number }): void => {
      if (generation !== this.generation) return;
      if (type === 'ERROR') {
        if (object.code === 410) gone = true;
        return;
      }
      const version = object.metadata?.resourceVersion;
      if (version) lastVersion = version;
      if (type === 'BOOKMARK') return;
      this.failures = 0;
      this.apply(plural, type, object);
    };
    const onDone = (error: unknown): void => {
      if (this.stopped || generation !== this.generation) return;
      if (gone || (error as { statusCode?: number } | null)?.statusCode === 410) {
        void this.relist();
        return;
      }
      const resume = (): void => {
        query.resourceVersion = lastVersion;
        void this.open(plural, query, onEvent, onDone);
      };
      if (error) this.retryLater(resume);
      else resume();
    };
    void this.open(plural, query, onEvent, onDone);
  }

  private async open(
    plural: Plural,
    query: Record<string, string | number | boolean>,
    onEvent: (type: string, object: CustomObject & { code?: number }) => void,
    onDone: (error: unknown) => void,
  ): Promise<void> {
    const controller = await this.watch.watch(`/apis/kubevirt.io/v1/${plural}`, query, onEvent, onDone);
    if (this.stopped) controller.abort();
    else this.controllers.add(controller);
  }

  private apply(plural: Plural, type: string, object: CustomObject): void {
    const k = key(object);
    if (plural === 'virtualmachineinstances') {
      if (type === 'DELETED') this.vmis.delete(k);
      else this.vmis.set(k, object);
      if (this.vms.has(k)) this.report(k);
      return;
    }
    if (type === 'DELETED') {
      this.vms.delete(k);
      this.reportDeleted(k, object);
      return;
    }
    this.vms.set(k, object);
    this.report(k);
  }

  /** ADDED the first time a VM is reported, MODIFIED after, nothing when nothing changed. */
  private report(k: string): void {
    const vm = this.vms.get(k)!;
    const vmi = this.vmis.get(k) ?? null;
    const version = `${vm.metadata.resourceVersion}/${vmi?.metadata.resourceVersion ?? '-'}`;
    const before = this.reported.get(k);
    if (before === version) return;
    const observation = this.observe(vm, vmi);
    if (!observation) return;
    this.reported.set(k, version);
    this.emit({ type: before === undefined ? 'ADDED' : 'MODIFIED', vm: observation });
  }

  private reportDeleted(k: string, vm: CustomObject): void {
    const wasReported = this.reported.delete(k);
    const observation = this.observe(vm, this.vmis.get(k) ?? null);
    if (wasReported && observation) this.emit({ type: 'DELETED', vm: observation });
  }

  private emit(change: VmChange): void {
    if (this.stopped) return;
    try {
      this.listener(change);
    } catch {
      // A listener's failure is its own; the watch goes on for the others' sake.
    }
  }

  private retryLater(run: () => void): void {
    if (this.stopped) return;
    const delay = Math.min(30_000, (this.options.retryDelayMs ?? 500) * 2 ** Math.min(this.failures, 6));
    this.failures += 1;
    setTimeout(() => {
      if (!this.stopped) run();
    }, delay).unref();
  }
}
