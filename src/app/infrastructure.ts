import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterPort } from '../adapters/kubernetes/cluster.port.js';
import { loadKubeConfig } from '../adapters/kubernetes/kubevirt/kube-config.js';
import { KubevirtCluster } from '../adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { LauncherDomainResolver } from '../adapters/kubernetes/kubevirt/launcher-domain-resolver.js';
import { LauncherPodRunners } from '../adapters/kubernetes/kubevirt/launcher-pod-runners.js';
import { PermanentAdapterError } from '../adapters/adapter-errors.js';
import type { HypervisorPort } from '../adapters/libvirt/hypervisor.port.js';
import { LibvirtHypervisor } from '../adapters/libvirt/libvirt-hypervisor.js';
import type { FabricPort } from '../adapters/ovs/fabric.port.js';
import { SimulatedFabric } from '../adapters/ovs/simulated-fabric.js';
import { OvnFabric } from '../adapters/ovs/ovn/ovn-fabric.js';
import { startClusterSimulator, type ClusterSimulator, type SimulatorNode } from '../cluster-simulator/cluster-simulator.js';
import type { AppConfig } from '../config/config.schema.js';

/** What the sagas, the observers and the API drive, and what has to be closed with the app. */
export interface Infrastructure {
  cluster: ClusterPort;
  hypervisor: HypervisorPort;
  /** OVN's logical switches and ports for the NIC sagas: OVN_NB_URL's database, else simulated. */
  fabric: FabricPort;
  /** CLUSTER_BACKEND=simulator: the simulated API server, whose control API injects faults and logs effects. */
  simulator: ClusterSimulator | null;
  close(): Promise<void>;
}

/**
 * libvirt inside a KubeVirt launcher pod: the session daemon's socket of a non-root virt-launcher.
 * The cluster simulator's guest model accepts any URI.
 */
const LAUNCHER_LIBVIRT_URI = 'qemu+unix:///session?socket=/var/run/libvirt/virtqemud-sock';

/** The infrastructure CLUSTER_BACKEND names. */
export async function openInfrastructure(config: AppConfig): Promise<Infrastructure> {
  const fabric = await openFabric(config);
  const infrastructure = await openCluster(config, fabric);
  return {
    ...infrastructure,
    async close() {
      await infrastructure.close();
      if (fabric instanceof OvnFabric) fabric.close();
    },
  };
}

async function openCluster(config: AppConfig, fabric: FabricPort): Promise<Infrastructure> {
  switch (config.CLUSTER_BACKEND) {
    case 'kubeconfig': {
      const kube = onKubevirt(loadKubeConfig({ kind: 'default' }), config);
      return { ...kube, fabric, simulator: null, close: async () => kube.hypervisor.close() };
    }
    case 'simulator': {
      const simulator = await startEmbeddedSimulator(config);
      const kube = onKubevirt(loadKubeConfig({ kind: 'text', yaml: simulator.kubeconfig() }), config);
      return {
        ...kube,
        fabric,
        simulator,
        async close() {
          kube.hypervisor.close();
          await simulator.close();
        },
      };
    }
  }
}

/**
 * OVN's northbound database at OVN_NB_URL; without one, the simulated northbound, kept under
 * DATA_DIR/simulation with the cluster when SIM_PERSIST.
 */
async function openFabric(config: AppConfig): Promise<FabricPort> {
  if (config.OVN_NB_URL) {
    const file = (path: string | undefined) => (path ? readFileSync(path) : undefined);
    return OvnFabric.connect({
      endpoint: config.OVN_NB_URL,
      tls: { ca: file(config.OVN_NB_CA_FILE), cert: file(config.OVN_NB_CERT_FILE), key: file(config.OVN_NB_KEY_FILE) },
    });
  }
  const dir = join(config.DATA_DIR, 'simulation');
  if (config.SIM_PERSIST) mkdirSync(dir, { recursive: true });
  return new SimulatedFabric(config.SIM_PERSIST ? { stateFile: join(dir, 'fabric.json') } : {});
}

/**
 * The cluster simulator on a free loopback port, its objects (and the guests' domains) kept in
 * DATA_DIR/simulation when SIM_PERSIST, so that after a restart the cluster still holds the VMs the
 * event store says exist.
 */
export async function startEmbeddedSimulator(config: AppConfig): Promise<ClusterSimulator> {
  const dir = join(config.DATA_DIR, 'simulation');
  if (config.SIM_PERSIST) mkdirSync(dir, { recursive: true });
  const simulator = await startClusterSimulator({
    nodes: parseSimNodes(config.SIM_NODES),
    stepMs: config.SIM_STEP_MS,
    migrationTransferTicks: config.SIM_MIGRATION_TRANSFER_TICKS,
    ...(config.SIM_PERSIST ? { stateFile: join(dir, 'cluster-simulator.json') } : {}),
    // the schema requires the other SIM_REAL_GUEST_* with the URI
    ...(config.SIM_REAL_GUEST_URI
      ? {
          realGuest: {
            uri: config.SIM_REAL_GUEST_URI,
            node: config.SIM_REAL_GUEST_NODE!,
            kernel: config.SIM_REAL_GUEST_KERNEL!,
            initrd: config.SIM_REAL_GUEST_INITRD!,
            serialDir: config.SIM_REAL_GUEST_SERIAL_DIR!,
          },
        }
      : {}),
  });
  if (config.SIM_KUBECONFIG) writeFileSync(config.SIM_KUBECONFIG, simulator.kubeconfig(), { mode: 0o600 });
  return simulator;
}

/** SIM_NODES (name:cpus:memoryMiB, comma separated; the config schema checks the form). */
function parseSimNodes(spec: string): SimulatorNode[] {
  return spec.split(',').map((entry) => {
    const [name, cpu, memoryMiB] = entry.split(':');
    return { name: name!, cpu: Number(cpu), memoryMiB: Number(memoryMiB) };
  });
}

/** The KubeVirt adapter, and libvirt reached by exec into each VM's launcher pod. */
export function onKubevirt(kubeConfig: KubeConfig, config: AppConfig): { cluster: KubevirtCluster; hypervisor: LibvirtHypervisor } {
  const cluster = new KubevirtCluster(kubeConfig, { namespaceTemplate: config.NAMESPACE_TEMPLATE });
  const launchers = new LauncherPodRunners(cluster);
  const hypervisor = new LibvirtHypervisor({
    // Every command goes to one VM's launcher pod; there is no node-wide libvirt to reach.
    runner: { run: () => Promise.reject(new PermanentAdapterError('NotSupported', 'libvirt is reached through a VM\'s launcher pod only')) },
    runnerFor: (ref) => launchers.runnerFor(ref.vmId),
    // KubeVirt's libvirt calls the domain <namespace>_<vmi>, with the VM's cluster namespace.
    resolver: new LauncherDomainResolver(launchers, LAUNCHER_LIBVIRT_URI),
  });
  return { cluster, hypervisor };
}
