import { PermanentAdapterError, TransientAdapterError } from '../../adapter-errors.js';
import type { CommandRunner } from '../../process/command-runner.js';
import {
  VM_ID_LABEL,
  type LiveChangeClusterPort,
  type MigrationObservation,
  type MigrationRef,
  type NetworkAttachmentClusterPort,
  type NetworkAttachmentRef,
  type NetworkAttachmentSpec,
  type NicSpec,
  type NodeInfo,
  type PodResizeObservation,
  type VmChange,
  type VmObservation,
  type VmRef,
  type VmSpec,
  type VmiObservation,
} from '../cluster.port.js';
import type { VmSizeClusterPort, VmTemplateSize } from '../vm-size-cluster.port.js';
import { validateVmSpec } from '../vm-spec-validation.js';
import { retryOnConflict } from './conflict-retry.js';
import { KubeApi, type CustomObject } from './kube-api.js';
import { asKubeApiError, toAdapterError } from './kube-errors.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { namespaceManifest, userDataSecretManifest, userDataSecretName, virtualMachineManifest } from './kubevirt-manifests.js';
import { observeVirtualMachine, observeVmi } from './kubevirt-observations.js';
import { listNodeInfos } from './node-infos.js';
import { attachNic, detachNic } from './nic-edits.js';
import { deleteNetworkAttachment, ensureNetworkAttachment } from './network-attachments.js';
import { abortMigration, getMigration, startMigration } from './migrations.js';
import { getPodResize, resizeLauncherPod } from './pod-resize.js';
import { NamespaceMapping } from './namespace-mapping.js';
import { launcherDomainName } from './launcher-pod.js';
import { PodExecCommandRunner } from './pod-exec-command-runner.js';
import { foldBootSize, liveUpdateVmSize, setVmSize } from './vm-size.js';
import { getLiveUpdate } from './live-update.js';
import type { LiveUpdateClusterPort, LiveUpdateObservation } from '../live-update-cluster.port.js';
import { VmWatch, type VmWatchOptions } from './vm-watch.js';

export interface KubevirtClusterOptions {
  /** Maps the port's namespaces onto the cluster's; default: the same name. */
  namespaceTemplate?: string;
  /** Per API request; default 10 s. */
  requestTimeoutMs?: number;
  /** Read-modify-write attempts when the server answers 409; default 4. */
  conflictAttempts?: number;
  watch?: VmWatchOptions;
}

/**
 * The cluster port on a real Kubernetes API server with KubeVirt (kubevirt-api.md): VirtualMachine
 * objects for VMs, KubeVirt's action subresources for start/stop/restart/pause/unpause, pod resize,
 * NIC edits of the VM spec, VirtualMachineInstanceMigrations, and watches that resume.
 */
export class KubevirtCluster implements LiveChangeClusterPort, VmSizeClusterPort, LiveUpdateClusterPort, NetworkAttachmentClusterPort {
  readonly api: KubeApi;
  private readonly namespaces: NamespaceMapping;
  private readonly attempts: number;

  constructor(
    readonly config: KubeConfig,
    private readonly options: KubevirtClusterOptions = {},
  ) {
    this.api = new KubeApi(config, options.requestTimeoutMs ?? 10_000);
    this.namespaces = new NamespaceMapping(options.namespaceTemplate);
    this.attempts = options.conflictAttempts ?? 4;
  }

  async ensureVm(spec: VmSpec): Promise<VmObservation> {
    validateVmSpec(spec);
    const clusterSpec: VmSpec = { ...spec, ref: this.toCluster(spec.ref), ...(spec.nics ? { nics: spec.nics.map((n) => this.toClusterNic(n)) } : {}) };
    const { namespace, name } = clusterSpec.ref;
    return this.guard(`ensure VirtualMachine ${namespace}/${name}`, async () => {
      const existing = await this.api.getCustom('virtualmachines', namespace, name);
      if (existing) return this.sameVm(existing, spec);
      await this.ensureNamespace(namespace);
      if (spec.userData !== null) await this.ensureUserDataSecret(clusterSpec, spec.userData);
      try {
        const created = await this.api.createCustom('virtualmachines', namespace, virtualMachineManifest(clusterSpec));
        return observeVirtualMachine(created, null, spec.ref);
      } catch (error) {
        // Another ensure of the same VM won the race: it is ours if it carries our id.
        if (asKubeApiError(error).status !== 409) throw error;
        const raced = await this.api.getCustom('virtualmachines', namespace, name);
        if (!raced) throw error;
        return this.sameVm(raced, spec);
      }
    });
  }

  async getVm(ref: VmRef): Promise<VmObservation | null> {
    const { namespace, name } = this.toCluster(ref);
    return this.guard(`get VirtualMachine ${namespace}/${name}`, async () => {
      const vm = await this.api.getCustom('virtualmachines', namespace, name);
      if (!vm) return null;
      const vmi = await this.api.getCustom('virtualmachineinstances', namespace, name);
      return observeVirtualMachine(vm, vmi, ref);
    });
  }

  async deleteVm(ref: VmRef): Promise<void> {
    const { namespace, name } = this.toCluster(ref);
    await this.guard(`delete VirtualMachine ${namespace}/${name}`, async () => {
      await this.api.deleteCustom('virtualmachines', namespace, name);
      await this.api.deleteSecret(namespace, userDataSecretName(name));
    });
  }

  async startVm(ref: VmRef): Promise<void> {
    const cluster = this.toCluster(ref);
    // The size an in-place hot resize left for the next boot goes into the template first (vm-size.ts).
    await this.guard(`write the boot size of ${cluster.namespace}/${cluster.name}`, () => retryOnConflict(this.attempts, () => foldBootSize(this.api, cluster)));
    await this.vmAction(ref, 'start', (vm) => runStrategyOf(vm) === 'Always');
  }

  async stopVm(ref: VmRef): Promise<void> {
    await this.vmAction(ref, 'stop', (vm) => runStrategyOf(vm) === 'Halted');
  }

  async restartVm(ref: VmRef, options: { vmiUid?: string } = {}): Promise<void> {
    const { namespace, name } = this.toCluster(ref);
    await this.guard(`restart VirtualMachine ${namespace}/${name}`, () =>
      retryOnConflict(this.attempts, async () => {
        const vm = await this.mustExist(namespace, name);
        const vmi = await this.api.getCustom('virtualmachineinstances', namespace, name);
        if (options.vmiUid !== undefined && vmi?.metadata.uid !== options.vmiUid) return;
        if (runStrategyOf(vm) === 'Halted' || !vmi || isFinalVmi(vmi) || vm.metadata.deletionTimestamp) {
          throw new PermanentAdapterError('VmNotRunning', `VM ${namespace}/${name} is not running`);
        }
        // A VMI already on its way out is the restart (or a stop) in progress.
        if (vmi.metadata.deletionTimestamp) return;
        await foldBootSize(this.api, { namespace, name });
        await this.api.action('virtualmachines', namespace, name, 'restart', {});
      }),
    );
  }

  async pauseVm(ref: VmRef): Promise<void> {
    await this.vmiAction(ref, 'pause', true);
  }

  async unpauseVm(ref: VmRef): Promise<void> {
    await this.vmiAction(ref, 'unpause', false);
  }

  async listVms(namespace?: string): Promise<VmObservation[]> {
    const clusterNamespace = namespace === undefined ? undefined : this.namespaces.toCluster(namespace);
    return this.guard('list VirtualMachines', async () => {
      const [vms, vmis] = await Promise.all([
        this.api.listCustom('virtualmachines', clusterNamespace),
        this.api.listCustom('virtualmachineinstances', clusterNamespace),
      ]);
      const vmiByKey = new Map(vmis.items.map((vmi) => [`${vmi.metadata.namespace}/${vmi.metadata.name}`, vmi]));
      return vms.items.flatMap((vm) => {
        const ref = this.fromCluster(vm);
        if (!ref) return [];
        return [observeVirtualMachine(vm, vmiByKey.get(`${vm.metadata.namespace}/${vm.metadata.name}`) ?? null, ref)];
      });
    });
  }

  watchVms(listener: (change: VmChange) => void): { stop(): void } {
    const watch = new VmWatch(this.api, (vm, vmi) => {
      const ref = this.fromCluster(vm);
      return ref ? observeVirtualMachine(vm, vmi, ref) : null;
    }, listener, this.options.watch);
    watch.start();
    return { stop: () => watch.stop() };
  }

  async listNodes(): Promise<NodeInfo[]> {
    return this.guard('list nodes', () => listNodeInfos(this.api));
  }

  // --- live changes ------------------------------------------------------------------------------

  async resizeLauncherPod(ref: VmRef, resources: { vcpus: number; memoryMiB: number }): Promise<PodResizeObservation> {
    const cluster = this.toCluster(ref);
    return this.guard(`resize launcher pod of ${cluster.namespace}/${cluster.name}`, () =>
      retryOnConflict(this.attempts, () => resizeLauncherPod(this.api, cluster, resources)),
    );
  }

  async getPodResize(ref: VmRef): Promise<PodResizeObservation | null> {
    const cluster = this.toCluster(ref);
    return this.guard(`read launcher pod resize of ${cluster.namespace}/${cluster.name}`, () => getPodResize(this.api, cluster));
  }

  async attachNic(ref: VmRef, nic: NicSpec): Promise<void> {
    const cluster = this.toCluster(ref);
    await this.guard(`attach NIC ${nic.name} to ${cluster.namespace}/${cluster.name}`, () =>
      retryOnConflict(this.attempts, () => attachNic(this.api, cluster, this.toClusterNic(nic))),
    );
  }

  async detachNic(ref: VmRef, nicName: string): Promise<void> {
    const cluster = this.toCluster(ref);
    await this.guard(`detach NIC ${nicName} from ${cluster.namespace}/${cluster.name}`, () =>
      retryOnConflict(this.attempts, () => detachNic(this.api, cluster, nicName)),
    );
  }

  async ensureNetworkAttachment(spec: NetworkAttachmentSpec): Promise<void> {
    const ref = this.toClusterAttachment(spec.ref);
    await this.guard(`ensure network attachment ${ref.namespace}/${ref.name}`, async () => {
      await this.ensureNamespace(ref.namespace);
      await retryOnConflict(this.attempts, () => ensureNetworkAttachment(this.api.config, this.options.requestTimeoutMs ?? 10_000, { ...spec, ref }));
    });
  }

  async deleteNetworkAttachment(ref: NetworkAttachmentRef): Promise<void> {
    const cluster = this.toClusterAttachment(ref);
    await this.guard(`delete network attachment ${cluster.namespace}/${cluster.name}`, () =>
      deleteNetworkAttachment(this.api.config, this.options.requestTimeoutMs ?? 10_000, cluster),
    );
  }

  async setVmSize(ref: VmRef, size: VmTemplateSize): Promise<void> {
    const cluster = this.toCluster(ref);
    await this.guard(`set the size of VirtualMachine ${cluster.namespace}/${cluster.name}`, () =>
      retryOnConflict(this.attempts, () => setVmSize(this.api, cluster, size)),
    );
  }

  async updateVmTemplateSize(ref: VmRef, size: { vcpus: number; memoryMiB: number }): Promise<void> {
    const cluster = this.toCluster(ref);
    await this.guard(`live-update the size of VirtualMachine ${cluster.namespace}/${cluster.name}`, () =>
      retryOnConflict(this.attempts, () => liveUpdateVmSize(this.api, cluster, size)),
    );
  }

  async getLiveUpdate(ref: VmRef): Promise<LiveUpdateObservation | null> {
    const cluster = this.toCluster(ref);
    const observed = await this.guard(`read the live update of ${cluster.namespace}/${cluster.name}`, () => getLiveUpdate(this.api, cluster));
    return observed && (observed.migration ? { ...observed, migration: { ...observed.migration, ref: { namespace: ref.namespace, name: observed.migration.ref.name } } } : observed);
  }

  async startMigration(ref: VmRef, options: { name: string; targetNode?: string }): Promise<MigrationObservation> {
    const cluster = this.toCluster(ref);
    const observed = await this.guard(`migrate ${cluster.namespace}/${cluster.name}`, () => startMigration(this.api, cluster, options.name, options.targetNode));
    return { ...observed, ref: { namespace: ref.namespace, name: options.name } };
  }

  async getMigration(ref: MigrationRef): Promise<MigrationObservation | null> {
    const namespace = this.namespaces.toCluster(ref.namespace);
    const observed = await this.guard(`get migration ${namespace}/${ref.name}`, () => getMigration(this.api, { namespace, name: ref.name }));
    return observed && { ...observed, ref };
  }

  async abortMigration(ref: MigrationRef): Promise<void> {
    const namespace = this.namespaces.toCluster(ref.namespace);
    await this.guard(`abort migration ${namespace}/${ref.name}`, () => abortMigration(this.api, { namespace, name: ref.name }));
  }

  async getVmi(ref: VmRef): Promise<VmiObservation | null> {
    const { namespace, name } = this.toCluster(ref);
    return this.guard(`get VirtualMachineInstance ${namespace}/${name}`, async () => {
      const vmi = await this.api.getCustom('virtualmachineinstances', namespace, name);
      return vmi ? observeVmi(vmi, ref) : null;
    });
  }

  /** Runs commands in the VM's virt-launcher pod (compute container), e.g. virsh. */
  commandRunner(ref: VmRef): CommandRunner {
    return new PodExecCommandRunner(this.api, this.toCluster(ref));
  }

  /** What libvirt in the VM's launcher pod calls its domain: the cluster namespace (after NAMESPACE_TEMPLATE) and the VMI's name. */
  domainName(ref: VmRef): string {
    return launcherDomainName(this.toCluster(ref));
  }

  // --- helpers -----------------------------------------------------------------------------------

  private toClusterAttachment(ref: NetworkAttachmentRef): NetworkAttachmentRef {
    return { namespace: this.namespaces.toCluster(ref.namespace), name: ref.name };
  }

  private toClusterNic(nic: NicSpec): NicSpec {
    return { ...nic, network: this.toClusterAttachment(nic.network) };
  }

  private toCluster(ref: VmRef): VmRef {
    return { namespace: this.namespaces.toCluster(ref.namespace), name: ref.name };
  }

  private fromCluster(object: CustomObject): VmRef | null {
    const namespace = this.namespaces.fromCluster(object.metadata.namespace ?? '');
    return namespace === null ? null : { namespace, name: object.metadata.name };
  }

  /** Adapter errors pass through; anything the API said becomes the port's error for it. */
  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof PermanentAdapterError || error instanceof TransientAdapterError) throw error;
      throw toAdapterError(error, what);
    }
  }

  private sameVm(existing: CustomObject, spec: VmSpec): VmObservation {
    const owner = existing.metadata.labels?.[VM_ID_LABEL];
    if (owner !== spec.vmId) {
      throw new PermanentAdapterError('AlreadyExists', `virtualmachines "${spec.ref.name}" already exists in ${existing.metadata.namespace} for another VM (${owner ?? 'not ours'})`);
    }
    return observeVirtualMachine(existing, null, spec.ref);
  }

  private async ensureNamespace(namespace: string): Promise<void> {
    if (await this.api.namespaceExists(namespace)) return;
    try {
      await this.api.createNamespace(namespaceManifest(namespace));
    } catch (error) {
      if (asKubeApiError(error).status !== 409) throw error;
    }
  }

  /** A Secret left by an earlier attempt is reused: its name is the VM's, and it holds the same data. */
  private async ensureUserDataSecret(spec: VmSpec, userData: string): Promise<void> {
    try {
      await this.api.createSecret(spec.ref.namespace, userDataSecretManifest(spec, userData));
    } catch (error) {
      if (asKubeApiError(error).status !== 409) throw error;
    }
  }

  private async mustExist(namespace: string, name: string): Promise<CustomObject> {
    const vm = await this.api.getCustom('virtualmachines', namespace, name);
    if (!vm) throw new PermanentAdapterError('VmNotFound', `virtualmachines "${name}" not found in ${namespace}`);
    return vm;
  }

  /** start/stop: done when the VM already has the run strategy; a 409 is re-read before it counts. */
  private async vmAction(ref: VmRef, action: 'start' | 'stop', done: (vm: CustomObject) => boolean): Promise<void> {
    const { namespace, name } = this.toCluster(ref);
    await this.guard(`${action} VirtualMachine ${namespace}/${name}`, () =>
      retryOnConflict(this.attempts, async () => {
        const vm = await this.mustExist(namespace, name);
        if (done(vm)) return;
        await this.api.action('virtualmachines', namespace, name, action, {});
      }),
    );
  }

  /** pause/unpause act on the VMI; KubeVirt's 409 "not running" is sorted into now or never. */
  private async vmiAction(ref: VmRef, action: 'pause' | 'unpause', pausing: boolean): Promise<void> {
    const { namespace, name } = this.toCluster(ref);
    await this.guard(`${action} VirtualMachineInstance ${namespace}/${name}`, () =>
      retryOnConflict(this.attempts, async () => {
        const vm = await this.mustExist(namespace, name);
        const vmi = await this.api.getCustom('virtualmachineinstances', namespace, name);
        const alive = runStrategyOf(vm) === 'Always' && !vm.metadata.deletionTimestamp;
        const phase = (vmi?.status as { phase?: string } | undefined)?.phase;
        if (!vmi || phase !== 'Running' || vmi.metadata.deletionTimestamp || !alive) {
          if (alive) throw new TransientAdapterError('VmNotRunningYet', `VMI ${namespace}/${name} is not running yet`);
          throw new PermanentAdapterError('VmNotRunning', `VMI ${namespace}/${name} is not running`);
        }
        const paused = observeVmi(vmi, ref).conditions.some((c) => c.type === 'Paused' && c.status === 'True');
        if (paused === pausing) return;
        await this.api.action('virtualmachineinstances', namespace, name, action, {});
      }),
    );
  }
}

function runStrategyOf(vm: CustomObject): string {
  return String((vm.spec as { runStrategy?: string } | undefined)?.runStrategy ?? 'Halted');
}

function isFinalVmi(vmi: CustomObject): boolean {
  const phase = (vmi.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
