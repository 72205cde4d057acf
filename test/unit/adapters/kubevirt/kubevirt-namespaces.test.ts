import { KubevirtCluster } from '../../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { loadKubeConfig } from '../../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { RecordingKubeServer } from '../../../support/kube/recording-kube-server.js';

describe('KubevirtCluster: the namespace mapping', () => {
  let server: RecordingKubeServer;

  beforeEach(async () => {
    server = new RecordingKubeServer();
    await server.start();
  });
  afterEach(() => server.stop());

  it('given a template, when a VM is ensured and listed, then it lives in the mapped namespace and is reported under the port namespace; others are not ours', async () => {
    const cluster = new KubevirtCluster(loadKubeConfig({ kind: 'text', yaml: server.kubeconfig() }), { namespaceTemplate: 'prod-{namespace}' });
    const observed = await cluster.ensureVm({
      ref: { namespace: 'vp-a', name: 'web-01' },
      vmId: 'id-1',
      projectId: 'a',
      cpu: { sockets: 1, maxSockets: 2 },
      memory: { guestMiB: 1024, maxGuestMiB: 2048 },
      image: 'docker://quay.io/containerdisks/fedora:41',
      userData: null,
      runStrategy: 'Halted',
      labels: {},
    });
    expect(observed.ref).toEqual({ namespace: 'vp-a', name: 'web-01' });
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/v1/namespaces', '/apis/kubevirt.io/v1/namespaces/prod-vp-a/virtualmachines']);
    server.put('/apis/kubevirt.io/v1/namespaces/kube-system/virtualmachines/theirs', { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'theirs', namespace: 'kube-system' } });
    expect((await cluster.listVms()).map((vm) => vm.ref)).toEqual([{ namespace: 'vp-a', name: 'web-01' }]);
    expect((await cluster.getVm({ namespace: 'vp-a', name: 'web-01' }))?.vmId).toBe('id-1');
    // libvirt in the launcher pod names the domain after the cluster's namespace, not the port's
    expect(cluster.domainName({ namespace: 'vp-a', name: 'web-01' })).toBe('prod-vp-a_web-01');
  });
});
