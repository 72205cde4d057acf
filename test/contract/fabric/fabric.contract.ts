import { randomUUID } from 'node:crypto';
import { PermanentAdapterError, TransientAdapterError } from '../../../src/adapters/adapter-errors.js';
import type { FabricOperation, FabricPort, LogicalSwitchSpec, PortSpec } from '../../../src/adapters/ovs/fabric.port.js';
import type { FaultControl } from '../../../src/adapters/simulation/fault-injector.js';
import { eventually, hasSettled } from '../../support/eventually.js';

export interface FabricHarness {
  fabric: FabricPort;
  faults: FaultControl<FabricOperation>;
  dispose(): Promise<void>;
}

export type MakeFabricHarness = () => Promise<FabricHarness>;

export function fabricContract(name: string, makeHarness: MakeFabricHarness): void {
  describe(`Fabric contract: ${name}`, () => {
    let harness: FabricHarness;
    let fabric: FabricPort;
    let network: LogicalSwitchSpec;

    beforeEach(async () => {
      harness = await makeHarness();
      fabric = harness.fabric;
      network = { id: randomUUID(), name: 'tenant-a-net', cidrs: ['10.20.0.0/24', 'fd00:20::/64'], excludeIps: ['10.20.0.1', '10.20.0.250..10.20.0.254'] };
      await fabric.ensureLogicalSwitch(network);
    });
    afterEach(() => harness.dispose());

    let macs = 0;
    const port = (overrides: Partial<PortSpec> = {}): PortSpec => {
      macs += 1;
      return {
        portId: randomUUID(),
        switchId: network.id,
        mac: `02:00:00:00:00:${(macs % 256).toString(16).padStart(2, '0')}`,
        ips: [`10.20.0.${10 + (macs % 200)}`],
        vmId: randomUUID(),
        chassis: null,
        ...overrides,
      };
    };

    describe('logical switches', () => {
      it('given a switch, when ensured again, then it is unchanged and found', async () => {
        expect(await fabric.ensureLogicalSwitch(network)).toEqual(network);
        expect(await fabric.getLogicalSwitch(network.id)).toEqual(network);
      });

      it('given a switch, when ensured with other exclusions, then it is updated', async () => {
        const changed = { ...network, excludeIps: ['10.20.0.1'] };
        await fabric.ensureLogicalSwitch(changed);
        expect(await fabric.getLogicalSwitch(network.id)).toEqual(changed);
      });

      it('given an empty switch, when deleted twice, then it is gone', async () => {
        await fabric.deleteLogicalSwitch(network.id);
        await fabric.deleteLogicalSwitch(network.id);
        expect(await fabric.getLogicalSwitch(network.id)).toBeNull();
      });

      it('given a switch with a port, when deleted, then it is refused with SwitchInUse', async () => {
        await fabric.ensurePort(port());
        await expect(fabric.deleteLogicalSwitch(network.id)).rejects.toMatchObject({ code: 'SwitchInUse', retryable: false });
      });

      it('given a malformed CIDR, when a switch is ensured, then it is refused as invalid', async () => {
        await expect(fabric.ensureLogicalSwitch({ ...network, id: randomUUID(), cidrs: ['10.0.0.0/33'] })).rejects.toMatchObject({ code: 'Invalid', retryable: false });
      });
    });

    describe('ports', () => {
      it('given no port, when ensured twice, then one port exists as asked, MAC in lower case', async () => {
        const spec = port({ mac: '02:AB:CD:00:00:01', ips: ['10.20.0.5', 'fd00:20::5'] });
        await fabric.ensurePort(spec);
        const again = await fabric.ensurePort(spec);
        expect(again).toEqual({ ...spec, mac: '02:ab:cd:00:00:01' });
        expect(await fabric.getPort(spec.portId)).toEqual(again);
        expect(await fabric.listPorts(network.id)).toHaveLength(1);
      });

      it('given a port, when ensured with another MAC and IPs, then it is updated', async () => {
        const spec = port();
        await fabric.ensurePort(spec);
        const changed = { ...spec, mac: '02:00:00:00:ff:01', ips: ['10.20.0.99'] };
        await fabric.ensurePort(changed);
        expect(await fabric.getPort(spec.portId)).toEqual(changed);
      });

      it('given a port, when another port asks for its MAC on the same switch, then it is refused with MacInUse', async () => {
        const first = port();
        await fabric.ensurePort(first);
        const error = await fabric.ensurePort(port({ mac: first.mac.toUpperCase() })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentAdapterError);
        expect(error).toMatchObject({ code: 'MacInUse', retryable: false });
      });

      it('given a port, when another port asks for its IP on the same switch, then it is refused with IpInUse', async () => {
        const first = port({ ips: ['10.20.0.7', 'fd00:20::7'] });
        await fabric.ensurePort(first);
        await expect(fabric.ensurePort(port({ ips: ['fd00:20:0:0::7'] }))).rejects.toMatchObject({ code: 'IpInUse', retryable: false });
        expect(await fabric.listPorts(network.id)).toHaveLength(1);
      });

      it('given two switches, when the same MAC and IP are used on each, then both are accepted', async () => {
        const other = { ...network, id: randomUUID(), name: 'other' };
        await fabric.ensureLogicalSwitch(other);
        const first = port();
        await fabric.ensurePort(first);
        await fabric.ensurePort({ ...first, portId: randomUUID(), switchId: other.id });
        expect(await fabric.listPorts()).toHaveLength(2);
      });

      it('given an IP outside the subnets, when ensured, then it is refused', async () => {
        await expect(fabric.ensurePort(port({ ips: ['192.168.1.5'] }))).rejects.toMatchObject({ code: 'AddressOutsideSubnet', retryable: false });
      });

      it('given no such switch, when a port is ensured, then SwitchNotFound', async () => {
        await expect(fabric.ensurePort(port({ switchId: randomUUID() }))).rejects.toMatchObject({ code: 'SwitchNotFound', retryable: false });
      });

      it('given a port on one switch, when ensured on another, then PortOnOtherSwitch', async () => {
        const other = { ...network, id: randomUUID(), name: 'other' };
        await fabric.ensureLogicalSwitch(other);
        const spec = port();
        await fabric.ensurePort(spec);
        await expect(fabric.ensurePort({ ...spec, switchId: other.id })).rejects.toMatchObject({ code: 'PortOnOtherSwitch' });
      });

      it('given a malformed MAC, when ensured, then it is refused as invalid', async () => {
        await expect(fabric.ensurePort(port({ mac: '02:00:00:00:00' }))).rejects.toMatchObject({ code: 'Invalid', retryable: false });
      });

      it('given a port, when its chassis is set twice and cleared, then it is bound and then unbound', async () => {
        const spec = port();
        await fabric.ensurePort(spec);
        await fabric.setPortChassis(spec.portId, 'node-a');
        await fabric.setPortChassis(spec.portId, 'node-a');
        expect((await fabric.getPort(spec.portId))?.chassis).toBe('node-a');
        await fabric.setPortChassis(spec.portId, 'node-b');
        expect((await fabric.getPort(spec.portId))?.chassis).toBe('node-b');
        await fabric.setPortChassis(spec.portId, null);
        expect((await fabric.getPort(spec.portId))?.chassis).toBeNull();
      });

      it('given a bound port, when a migration begins twice and is finished, then it is bound to both nodes and then to the target only', async () => {
        const spec = port({ chassis: 'node-a' });
        await fabric.ensurePort(spec);
        await fabric.beginPortMigration(spec.portId, 'node-b');
        await fabric.beginPortMigration(spec.portId, 'node-b');
        expect(await fabric.getPort(spec.portId)).toEqual({ ...spec, migratingTo: 'node-b' });
        await fabric.setPortChassis(spec.portId, 'node-b');
        expect(await fabric.getPort(spec.portId)).toEqual({ ...spec, chassis: 'node-b' });
      });

      it('given a migration begun, when aborted by binding the source again, then the port is on the source only', async () => {
        const spec = port({ chassis: 'node-a' });
        await fabric.ensurePort(spec);
        await fabric.beginPortMigration(spec.portId, 'node-b');
        await fabric.setPortChassis(spec.portId, 'node-a');
        expect(await fabric.getPort(spec.portId)).toEqual(spec);
      });

      it('given an unbound port or one already on the target, when a migration begins, then it is refused as invalid', async () => {
        const unbound = port();
        await fabric.ensurePort(unbound);
        await expect(fabric.beginPortMigration(unbound.portId, 'node-b')).rejects.toMatchObject({ code: 'Invalid', retryable: false });
        const bound = port({ chassis: 'node-a' });
        await fabric.ensurePort(bound);
        await expect(fabric.beginPortMigration(bound.portId, 'node-a')).rejects.toMatchObject({ code: 'Invalid', retryable: false });
        await expect(fabric.beginPortMigration(randomUUID(), 'node-b')).rejects.toMatchObject({ code: 'PortNotFound', retryable: false });
      });

      it('given no port, when its chassis is set, then PortNotFound', async () => {
        await expect(fabric.setPortChassis(randomUUID(), 'node-a')).rejects.toMatchObject({ code: 'PortNotFound', retryable: false });
      });

      it('given a port, when deleted twice, then it is gone and its addresses are free again', async () => {
        const spec = port();
        await fabric.ensurePort(spec);
        await fabric.deletePort(spec.portId);
        await fabric.deletePort(spec.portId);
        expect(await fabric.getPort(spec.portId)).toBeNull();
        await fabric.ensurePort({ ...spec, portId: randomUUID() });
      });

      it('given ports on two switches, when listed per switch, then each list holds its own', async () => {
        const other = { ...network, id: randomUUID(), name: 'other' };
        await fabric.ensureLogicalSwitch(other);
        const a = port();
        const b = port({ switchId: other.id });
        await fabric.ensurePort(a);
        await fabric.ensurePort(b);
        expect((await fabric.listPorts(network.id)).map((p) => p.portId)).toEqual([a.portId]);
        expect((await fabric.listPorts(other.id)).map((p) => p.portId)).toEqual([b.portId]);
      });
    });

    describe('faults', () => {
      it('given the next two calls fail transiently, when retried, then the third succeeds and one port exists', async () => {
        const spec = port();
        harness.faults.failNext('ensurePort', 2, new TransientAdapterError('ConnectionRefused', 'injected: ovsdb-server unreachable'));
        await expect(fabric.ensurePort(spec)).rejects.toBeInstanceOf(TransientAdapterError);
        await expect(fabric.ensurePort(spec)).rejects.toMatchObject({ retryable: true });
        expect(await fabric.getPort(spec.portId)).toBeNull();
        await fabric.ensurePort(spec);
        expect(await fabric.listPorts(network.id)).toHaveLength(1);
      });

      it('given a lost response, when retried, then the port exists once', async () => {
        const spec = port();
        harness.faults.failAfterNext('ensurePort', 1, new TransientAdapterError('Timeout', 'injected timeout'));
        await expect(fabric.ensurePort(spec)).rejects.toMatchObject({ code: 'Timeout' });
        await fabric.ensurePort(spec);
        expect(await fabric.listPorts(network.id)).toHaveLength(1);
      });

      it('given a conflict, when retried, then it succeeds', async () => {
        const spec = port();
        await fabric.ensurePort(spec);
        harness.faults.conflictNext('setPortChassis');
        await expect(fabric.setPortChassis(spec.portId, 'node-a')).rejects.toMatchObject({ code: 'Conflict', retryable: true });
        await fabric.setPortChassis(spec.portId, 'node-a');
      });

      it('given a hang, when a port is deleted, then nothing happens until released', async () => {
        const spec = port();
        await fabric.ensurePort(spec);
        const hang = harness.faults.hang('deletePort');
        const call = fabric.deletePort(spec.portId);
        await eventually(() => expect(hang.pending).toBe(1));
        expect(await hasSettled(call)).toBe(false);
        expect(await fabric.getPort(spec.portId)).not.toBeNull();
        hang.release();
        await call;
        expect(await fabric.getPort(spec.portId)).toBeNull();
      });
    });
  });
}
