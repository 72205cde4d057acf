import { INFRASTRUCTURE } from '../../../src/app/tokens.js';
import type { Infrastructure } from '../../../src/app/infrastructure.js';
import { waitFor } from '../../support/redis.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

/**
 * What a Neutron network needs in the cluster, made by the service on the embedded default
 * (CLUSTER_BACKEND=simulator, whose API server validates against the Multus and Kube-OVN CRD schemas):
 * the network's NAD with its network, the Kube-OVN Subnet with its subnets, both gone with it.
 */
describe('network attachments on the cluster simulator', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp({ CLUSTER_BACKEND: 'simulator', SIM_STEP_MS: '10', POWER_SYNC_INTERVAL_SECONDS: '600' });
  });
  afterAll(async () => {
    await c?.close();
  });

  /** GET on the simulator's API server, as an operator's kubectl would. */
  async function kube(path: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const simulator = c.t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!;
    const token = /token: (\S+)/.exec(simulator.kubeconfig())![1];
    const res = await fetch(`${simulator.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: res.status === 200 ? await res.json() : null };
  }
  const present = (path: string) => async () => ((await kube(path)).status === 200 ? true : undefined);
  const absent = (path: string) => async () => ((await kube(path)).status === 404 ? true : undefined);

  it('given a network, when IPv4 and IPv6 subnets are added and it is deleted, then its NAD and Kube-OVN Subnet follow', async () => {
    const demoProject = (await c.call('GET', '/identity/v3/auth/projects', c.demo)).json().projects.find((p: { name: string }) => p.name === 'demo').id as string;
    const net = (await c.call('POST', '/network/v2.0/networks', c.demo, { network: { name: 'attached' } })).json().network as { id: string };
    const name = `net-${net.id}`;
    const nadPath = `/apis/k8s.cni.cncf.io/v1/namespaces/vp-${demoProject}/network-attachment-definitions/${name}`;
    const subnetPath = `/apis/kubeovn.io/v1/subnets/${name}`;
    await waitFor(present(nadPath), 10_000, 'the NAD');
    expect(JSON.parse((await kube(nadPath)).body.spec.config)).toMatchObject({ type: 'kube-ovn', provider: `${name}.vp-${demoProject}.ovn` });
    expect((await kube(subnetPath)).status).toBe(404);

    const v4 = await c.call('POST', '/network/v2.0/subnets', c.demo, {
      subnet: { network_id: net.id, cidr: '10.40.0.0/24', ip_version: 4, allocation_pools: [{ start: '10.40.0.20', end: '10.40.0.200' }] },
    });
    expect(v4.status).toBe(201);
    await waitFor(present(subnetPath), 10_000, 'the Kube-OVN Subnet');
    expect((await kube(subnetPath)).body.spec).toMatchObject({ protocol: 'IPv4', cidrBlock: '10.40.0.0/24', gateway: '10.40.0.1', provider: `${name}.vp-${demoProject}.ovn` });

    expect((await c.call('POST', '/network/v2.0/subnets', c.demo, { subnet: { network_id: net.id, cidr: 'fd00:40::/64', ip_version: 6 } })).status).toBe(201);
    await waitFor(async () => ((await kube(subnetPath)).body?.spec.protocol === 'Dual' ? true : undefined), 10_000, 'the Subnet dual stack');
    expect((await kube(subnetPath)).body.spec).toMatchObject({ cidrBlock: '10.40.0.0/24,fd00:40::/64', gateway: '10.40.0.1,fd00:40::1' });
    expect((await kube(subnetPath)).body.spec.excludeIps).toEqual(expect.arrayContaining(['10.40.0.1', 'fd00:40::1']));

    expect((await c.call('DELETE', `/network/v2.0/networks/${net.id}`, c.demo)).status).toBe(204);
    await waitFor(absent(nadPath), 10_000, 'the NAD gone');
    await waitFor(absent(subnetPath), 10_000, 'the Kube-OVN Subnet gone');
  });
});
