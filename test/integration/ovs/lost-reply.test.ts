import { randomUUID } from 'node:crypto';
import type { LogicalSwitchSpec, PortSpec } from '../../../src/adapters/ovs/fabric.port.js';
import { OvnFabric } from '../../../src/adapters/ovs/ovn/ovn-fabric.js';
import { LossyOvsdbProxy } from '../../support/lossy-ovsdb-proxy.js';
import { OvsdbServers, shouldRunOvsdbTests } from '../../support/ovsdb-servers.js';

const writes = (op: string) => (operations: Array<{ op?: string }>) => operations.some((o) => o.op === op);

if (shouldRunOvsdbTests()) {
  describe('OVN fabric when a reply is lost after the server committed', () => {
    let servers: OvsdbServers;
    let proxy: LossyOvsdbProxy;
    let fabric: OvnFabric;
    let network: LogicalSwitchSpec;
    beforeAll(async () => {
      servers = await OvsdbServers.start();
      proxy = new LossyOvsdbProxy(servers.socket('nb').slice('unix:'.length));
      await proxy.listen();
    });
    afterAll(async () => {
      await proxy?.close();
      await servers?.dispose();
    });
    beforeEach(async () => {
      fabric = await OvnFabric.connect({ endpoint: proxy.endpoint, requestTimeoutMs: 5_000 });
      network = { id: randomUUID(), name: 'lossy', cidrs: ['10.50.0.0/24'], excludeIps: [] };
      await fabric.ensureLogicalSwitch(network);
    });
    afterEach(() => fabric.close());

    const port = (): PortSpec => ({ portId: randomUUID(), switchId: network.id, mac: '02:00:00:50:00:01', ips: ['10.50.0.5'], vmId: randomUUID(), chassis: 'node-a' });
    const lspCount = async () => (await servers.nbctl('lsp-list', `vp-${network.id}`)).trim().split('\n').filter(Boolean).length;

    it('given the reply to the create is lost, when the caller retries, then the port exists once as asked', async () => {
      const spec = port();
      proxy.loseNextReply(writes('insert'));
      await expect(fabric.ensurePort(spec)).rejects.toMatchObject({ code: 'ConnectionLost', retryable: true });
      expect(proxy.dropped).toBeGreaterThanOrEqual(1);
      expect(await lspCount()).toBe(1); // the server did commit it

      expect(await fabric.ensurePort(spec)).toEqual(spec);
      expect(await lspCount()).toBe(1);
    });

    it('given the reply to the delete is lost, when the caller retries, then the port is gone and the retry is done', async () => {
      const spec = port();
      await fabric.ensurePort(spec);
      proxy.loseNextReply(writes('delete'));
      await expect(fabric.deletePort(spec.portId)).rejects.toMatchObject({ retryable: true });
      expect(await lspCount()).toBe(0);
      await fabric.deletePort(spec.portId);
      expect(await fabric.getPort(spec.portId)).toBeNull();
    });

    it('given the reply to a binding move is lost, when retried, then the port is bound to the new node', async () => {
      const spec = port();
      await fabric.ensurePort(spec);
      proxy.loseNextReply(writes('mutate'));
      await expect(fabric.setPortChassis(spec.portId, 'node-b')).rejects.toMatchObject({ retryable: true });
      await fabric.setPortChassis(spec.portId, 'node-b');
      expect((await servers.nbctl('get', 'Logical_Switch_Port', spec.portId, 'options:requested-chassis')).trim()).toBe('node-b');
    });
  });
} else {
  it.skip('OVN fabric lost-reply integration: ovsdb-server or ovn-nbctl is not installed, skipped only outside CI (under CI=true it runs and fails)', () => undefined);
}
