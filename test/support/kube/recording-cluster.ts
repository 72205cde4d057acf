import { KubevirtCluster, type KubevirtClusterOptions } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { loadKubeConfig } from '../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { RecordingKubeServer } from './recording-kube-server.js';

export interface RecordingCluster {
  server: RecordingKubeServer;
  cluster: KubevirtCluster;
}

/**
 * A fresh recording API server and a KubeVirt adapter pointed at it for each test of the calling
 * describe block (registers its beforeEach/afterEach); read `server` and `cluster` inside the tests.
 */
export function useRecordingCluster(options: KubevirtClusterOptions = {}): RecordingCluster {
  const fixture = {} as RecordingCluster;
  beforeEach(async () => {
    fixture.server = new RecordingKubeServer();
    await fixture.server.start();
    fixture.cluster = new KubevirtCluster(loadKubeConfig({ kind: 'text', yaml: fixture.server.kubeconfig() }), options);
  });
  afterEach(() => fixture.server.stop());
  return fixture;
}
