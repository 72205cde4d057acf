import type { VmSizeClusterPort } from '../../../adapters/kubernetes/vm-size-cluster.port.js';
import type { HypervisorPort } from '../../../adapters/libvirt/hypervisor.port.js';
import type { AppConfig } from '../../../config/config.schema.js';
import type { LiveChangePorts } from './step-context.js';

/**
 * KubeVirt's fixed launcher overhead, rounded up: virt-launcher 100 MiB, its monitor 25, virtlogd
 * 25, virtqemud 40, QEMU 30, one IOThread 8 and video 16 (virt-controller's GetMemoryOverhead adds
 * per-vCPU and page-table parts on top, which the margin covers for small VMs).
 */
export const KUBEVIRT_LAUNCHER_OVERHEAD_MIB = 256;

/**
 * The live-change steps' ports and settings from the configuration. The overhead defaults to 0 on
 * the simulator, whose launcher pods ask for the guest's memory alone: a resize must keep the pod's
 * request in step with how the pod was made, or undoing it would not give the old pod back.
 */
export function liveChangePorts(
  config: Pick<AppConfig, 'CLUSTER_BACKEND' | 'LAUNCHER_MEMORY_OVERHEAD_MIB' | 'POD_RESIZE_DEADLINE_SECONDS' | 'GUEST_RESIZE_DEADLINE_SECONDS' | 'MIGRATION_DEADLINE_SECONDS'>,
  cluster: VmSizeClusterPort,
  hypervisor: HypervisorPort,
): LiveChangePorts {
  return {
    cluster,
    hypervisor,
    launcherMemoryOverheadMiB: config.LAUNCHER_MEMORY_OVERHEAD_MIB ?? (config.CLUSTER_BACKEND === 'kubeconfig' ? KUBEVIRT_LAUNCHER_OVERHEAD_MIB : 0),
    deadlines: {
      podResizeMs: config.POD_RESIZE_DEADLINE_SECONDS * 1000,
      guestResizeMs: config.GUEST_RESIZE_DEADLINE_SECONDS * 1000,
      migrationMs: config.MIGRATION_DEADLINE_SECONDS * 1000,
    },
  };
}
