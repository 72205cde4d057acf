import { startClusterSimulator } from '../../../src/cluster-simulator/cluster-simulator.js';
import { KubeApi } from '../../../src/adapters/kubernetes/kubevirt/kube-api.js';
import { loadKubeConfig } from '../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { KubevirtCluster } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { withFaults } from '../../support/kube/fault-injecting-cluster.js';
import { clusterContract } from './cluster.contract.js';

clusterContract('KubeVirt adapter against the cluster simulator', async ({ nodes }) => {
  const simulator = await startClusterSimulator({ nodes, stepMs: 5 });
  const config = loadKubeConfig({ kind: 'text', yaml: simulator.kubeconfig() });
  const { cluster, faults } = withFaults(new KubevirtCluster(config, { watch: { retryDelayMs: 50 } }));
  // Someone else's client, as virtctl would be.
  const outside = new KubeApi(config, 5000);
  return {
    cluster,
    namespace: 'tenant-a',
    faults,
    stopOutsideOurControl: (ref) => outside.action('virtualmachines', ref.namespace, ref.name, 'stop', {}),
    // The guest dies: the VMI fails (its status is written with the object, there is no status subresource).
    crash: async (ref) => {
      await outside.patchCustom('virtualmachineinstances', ref.namespace, ref.name, { status: { phase: 'Failed' } }, 'application/merge-patch+json');
    },
    dispose: async () => {
      faults.clear();
      await simulator.close();
    },
  };
});
