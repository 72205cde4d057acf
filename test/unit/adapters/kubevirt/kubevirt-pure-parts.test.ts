import type { V1Pod } from '@kubernetes/client-node';
import { NamespaceMapping } from '../../../../src/adapters/kubernetes/kubevirt/namespace-mapping.js';
import { observePodResize } from '../../../../src/adapters/kubernetes/kubevirt/kubevirt-observations.js';
import { exitCodeOf } from '../../../../src/adapters/kubernetes/kubevirt/pod-exec-command-runner.js';
import { parseQuantity, quantityCpu, quantityMiB } from '../../../../src/adapters/kubernetes/kubevirt/quantities.js';
import { toAdapterError, KubeApiError } from '../../../../src/adapters/kubernetes/kubevirt/kube-errors.js';

describe('KubeVirt adapter, pure parts', () => {
  it('given quantities in every notation, when parsed, then base units, MiB and CPUs come out', () => {
    expect(parseQuantity('2Gi')).toBe(2 * 2 ** 30);
    expect(quantityMiB('2048Mi')).toBe(2048);
    expect(quantityMiB('4G')).toBe(Math.round(4e9 / 2 ** 20));
    expect(quantityCpu('500m')).toBe(0.5);
    expect(quantityCpu(4)).toBe(4);
    expect(parseQuantity('lots')).toBeNull();
  });

  it('given a namespace template, when mapped both ways, then it round-trips and foreign namespaces are not ours', () => {
    const mapping = new NamespaceMapping('prod-{namespace}');
    expect(mapping.toCluster('vp-a')).toBe('prod-vp-a');
    expect(mapping.fromCluster('prod-vp-a')).toBe('vp-a');
    expect(mapping.fromCluster('kube-system')).toBeNull();
    expect(() => new NamespaceMapping('static')).toThrow(/exactly once/);
  });

  it('given pod resize conditions, when observed, then Pending reasons and errors win over the resources', () => {
    const pod = (conditions: NonNullable<V1Pod['status']>['conditions'], applied = '2'): V1Pod => ({
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'compute', resources: { requests: { cpu: '4', memory: '4Gi' } } }] },
      status: { conditions, containerStatuses: [{ name: 'compute', image: '', imageID: '', ready: true, restartCount: 0, resources: { requests: { cpu: applied, memory: '4Gi' } } }] },
    });
    expect(observePodResize(pod([{ type: 'PodResizePending', status: 'True', reason: 'Infeasible', message: 'no' }])).state).toBe('Infeasible');
    expect(observePodResize(pod([{ type: 'PodResizePending', status: 'True', reason: 'Deferred' }])).state).toBe('Deferred');
    expect(observePodResize(pod([{ type: 'PodResizeInProgress', status: 'True', reason: 'Error', message: 'cgroup' }]))).toMatchObject({ state: 'Error', message: 'cgroup' });
    expect(observePodResize(pod([{ type: 'PodResizeInProgress', status: 'True' }])).state).toBe('InProgress');
    expect(observePodResize(pod([])).state).toBe('Pending');
    expect(observePodResize(pod([], '4')).state).toBe('Done');
  });

  it('given a pod resized again before the kubelet looked (status of an earlier generation), when observed, then Pending, not that status', () => {
    const pod = (generation: number, observed: number): V1Pod => ({
      metadata: { name: 'p', generation },
      spec: { containers: [{ name: 'compute', resources: { requests: { cpu: '1', memory: '512Mi' } } }] },
      status: {
        observedGeneration: observed,
        conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible', message: 'no room', observedGeneration: observed }],
        containerStatuses: [{ name: 'compute', image: '', imageID: '', ready: true, restartCount: 0, resources: { requests: { cpu: '1', memory: '512Mi' } } }],
      },
    });
    expect(observePodResize(pod(3, 2)).state).toBe('Pending');
    expect(observePodResize(pod(3, 3)).state).toBe('Infeasible');
    // a condition left from an earlier generation in a status that is otherwise current
    const stale = pod(3, 3);
    stale.status!.conditions![0]!.observedGeneration = 2;
    expect(observePodResize(stale).state).toBe('Done');
  });

  it('given exec statuses, when read, then Success is 0, NonZeroExitCode its code, anything else no exit', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } })).toBe(7);
    expect(exitCodeOf({ status: 'Failure', reason: 'InternalError', message: 'container not found' })).toBeNull();
    expect(exitCodeOf(null)).toBeNull();
  });

  it('given API failures, when mapped, then the port codes and retryability follow the contract', () => {
    const map = (status: number) => toAdapterError(new KubeApiError(status, '', 'm'), 'op');
    expect(map(0)).toMatchObject({ code: 'Unreachable', retryable: true });
    expect(map(409)).toMatchObject({ code: 'Conflict', retryable: true });
    expect(map(422)).toMatchObject({ code: 'Invalid', retryable: false });
    expect(map(500)).toMatchObject({ code: 'ServerError', retryable: true });
    expect(map(429)).toMatchObject({ code: 'ServerError', retryable: true });
    expect(map(403)).toMatchObject({ code: 'Forbidden', retryable: false });
    expect(toAdapterError(new KubeApiError(0, 'Unreachable', 'timeout after 10 ms'), 'op')).toMatchObject({ code: 'Timeout', retryable: true });
  });
});
