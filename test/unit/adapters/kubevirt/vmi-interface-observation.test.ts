import { hasInfoSource } from '../../../../src/adapters/kubernetes/kubevirt/kubevirt-observations.js';
import { useRecordingCluster } from '../../../support/kube/recording-cluster.js';

const NS = 'vp-a';
const REF = { namespace: NS, name: 'web-01' };

describe('KubevirtCluster: a VMI interface is in the guest once its infoSource lists domain', () => {
  const k = useRecordingCluster();

  const seed = (interfaces: Array<Record<string, unknown>>) =>
    k.server.put(`/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/web-01`, {
      apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'web-01', namespace: NS, uid: 'vmi-1' },
      status: { phase: 'Running', nodeName: 'node-1', interfaces },
    });
  const dyn1 = (infoSource?: string) => ({ name: 'dyn1', mac: '02:00:00:1e:00:0f', podInterfaceName: 'pod16367aacb67', ...(infoSource === undefined ? {} : { infoSource }) });

  it('given a hotplugged NIC listed from multus-status only (in the pod, not yet in the domain), when read, then it is not in the domain', async () => {
    seed([{ name: 'default', infoSource: 'domain, guest-agent' }, dyn1('multus-status')]);
    const vmi = await k.cluster.getVmi(REF);
    expect(vmi?.interfaces.map((i) => [i.name, i.inDomain])).toEqual([['default', true], ['dyn1', false]]);
  });

  it('given virt-handler plugged it into the domain (domain, guest-agent, multus-status), when read, then it is in the domain', async () => {
    seed([dyn1('domain, guest-agent, multus-status')]);
    expect((await k.cluster.getVmi(REF))?.interfaces[0]).toMatchObject({ name: 'dyn1', infoSource: 'domain, guest-agent, multus-status', inDomain: true });
  });

  it('given the domain alone or domain and multus-status (no guest agent), when read, then it is in the domain', async () => {
    seed([{ ...dyn1('domain'), name: 'a' }, { ...dyn1('domain, multus-status'), name: 'b' }]);
    expect((await k.cluster.getVmi(REF))?.interfaces.map((i) => i.inDomain)).toEqual([true, true]);
  });

  it('given an entry without infoSource or from the guest agent alone, when read, then it is not in the domain', async () => {
    seed([{ ...dyn1(), name: 'a' }, { ...dyn1('guest-agent'), name: 'b' }]);
    expect((await k.cluster.getVmi(REF))?.interfaces.map((i) => i.inDomain)).toEqual([false, false]);
  });

  it('matches whole sources of the ", "-joined list, not parts of a word', () => {
    expect(hasInfoSource('domain, guest-agent, multus-status', 'multus-status')).toBe(true);
    expect(hasInfoSource('guest-agent,domain', 'domain')).toBe(true);
    expect(hasInfoSource('domains', 'domain')).toBe(false);
    expect(hasInfoSource(undefined, 'domain')).toBe(false);
  });
});
