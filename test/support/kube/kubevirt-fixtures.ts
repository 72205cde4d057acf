import type { RecordingKubeServer } from './recording-kube-server.js';

/** What virt-controller and the kubelet would have made of a running VM: its VMI and launcher pod. */
export function seedRunningVm(server: RecordingKubeServer, namespace: string, name: string, node = 'node-a'): void {
  server.put(`/apis/kubevirt.io/v1/namespaces/${namespace}/virtualmachineinstances/${name}`, {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name, namespace, uid: `vmi-uid-${name}` },
    spec: { domain: { cpu: { sockets: 2, cores: 1, threads: 1, maxSockets: 8 }, memory: { guest: '2048Mi', maxGuest: '8192Mi' } } },
    status: {
      phase: 'Running',
      nodeName: node,
      conditions: [{ type: 'Ready', status: 'True' }],
      interfaces: [{ name: 'default', ipAddress: '10.20.0.15', ipAddresses: ['10.20.0.15'], mac: '02:00:00:0a:14:0f', infoSource: 'domain, guest-agent' }],
      currentCPUTopology: { sockets: 2, cores: 1, threads: 1 },
      memory: { guestAtBoot: '2Gi', guestRequested: '2Gi', guestCurrent: '2Gi' },
    },
  });
  server.put(`/api/v1/namespaces/${namespace}/pods/virt-launcher-${name}-abcde`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `virt-launcher-${name}-abcde`, namespace, labels: { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': name } },
    spec: { nodeName: node, containers: [{ name: 'compute', image: 'virt-launcher', resources: { requests: { cpu: '2', memory: '2560Mi' }, limits: { memory: '2560Mi' } } }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'compute', ready: true, resources: { requests: { cpu: '2', memory: '2560Mi' }, limits: { memory: '2560Mi' } } }],
    },
  });
}
