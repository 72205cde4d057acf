import { readFileSync } from 'node:fs';

/**
 * The embedded cluster simulator's Kubernetes API, read through the kubeconfig the service writes
 * (SIM_KUBECONFIG): what kubectl would show of the VM's launcher pod.
 */
export class SimulatorApi {
  private constructor(
    private readonly server: string,
    private readonly token: string,
  ) {}

  static fromKubeconfig(path: string): SimulatorApi {
    const text = readFileSync(path, 'utf8');
    const server = /server: (\S+)/.exec(text)?.[1];
    const token = /token: (\S+)/.exec(text)?.[1];
    if (!server || !token) throw new Error(`no server or token in ${path}`);
    return new SimulatorApi(server, token);
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(`${this.server}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** The VM's running virt-launcher pod's compute container: what it asks for and what the kubelet applied. */
  async launcherCompute(namespace: string, vmName: string): Promise<{ requests: Record<string, string>; applied: Record<string, string> }> {
    const pods = await this.request('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`vm.kubevirt.io/name=${vmName}`)}`);
    const pod = (pods.body.items as any[]).find((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp); // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!pod) throw new Error(`no running launcher pod for ${namespace}/${vmName}`);
    const container = pod.spec.containers.find((c: { name: string }) => c.name === 'compute');
    const status = pod.status.containerStatuses.find((c: { name: string }) => c.name === 'compute');
    return { requests: container.resources.requests, applied: status.resources?.requests ?? {} };
  }
}
