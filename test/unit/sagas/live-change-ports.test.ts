import { loadConfig } from '../../../src/config/load-config.js';
import { KUBEVIRT_LAUNCHER_OVERHEAD_MIB, liveChangePorts } from '../../../src/handlers/workers/steps/live-change-ports.js';
import type { VmSizeClusterPort } from '../../../src/adapters/kubernetes/vm-size-cluster.port.js';
import type { HypervisorPort } from '../../../src/adapters/libvirt/hypervisor.port.js';

const cluster = {} as VmSizeClusterPort;
const hypervisor = {} as HypervisorPort;
const ports = (env: Record<string, string>) => liveChangePorts(loadConfig({ DATA_DIR: '/tmp/unused', ...env }), cluster, hypervisor);

describe('the live-change steps\' settings from the configuration', () => {
  it('given a real cluster and no overhead set, then the pod asks for KubeVirt\'s launcher overhead on top of the guest', () => {
    expect(ports({ CLUSTER_BACKEND: 'kubeconfig' }).launcherMemoryOverheadMiB).toBe(KUBEVIRT_LAUNCHER_OVERHEAD_MIB);
  });

  it('given the simulator and no overhead set, then none (its launcher pods ask for the guest\'s memory alone)', () => {
    expect(ports({ CLUSTER_BACKEND: 'simulator' }).launcherMemoryOverheadMiB).toBe(0);
  });

  it('given LAUNCHER_MEMORY_OVERHEAD_MIB, then it wins on any backend', () => {
    expect(ports({ CLUSTER_BACKEND: 'simulator', LAUNCHER_MEMORY_OVERHEAD_MIB: '300' }).launcherMemoryOverheadMiB).toBe(300);
    expect(ports({ CLUSTER_BACKEND: 'kubeconfig', LAUNCHER_MEMORY_OVERHEAD_MIB: '0' }).launcherMemoryOverheadMiB).toBe(0);
  });

  it('given the deadlines in seconds, then the steps get them in milliseconds; unset, the documented defaults', () => {
    expect(ports({ POD_RESIZE_DEADLINE_SECONDS: '5', GUEST_RESIZE_DEADLINE_SECONDS: '0.5', MIGRATION_DEADLINE_SECONDS: '60' }).deadlines).toEqual({ podResizeMs: 5_000, guestResizeMs: 500, migrationMs: 60_000 });
    expect(ports({}).deadlines).toEqual({ podResizeMs: 120_000, guestResizeMs: 120_000, migrationMs: 540_000 });
  });
});
