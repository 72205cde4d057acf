import { randomUUID } from 'node:crypto';
import { vifDeviceName, type NodeVifPort, type VifSpec } from '../../../src/adapters/ovs/node-vif.port.js';

export interface NodeVifHarness {
  /** A node whose Open_vSwitch database has br-int and br-ex, and nothing else. */
  vifs: NodeVifPort;
  dispose(): Promise<void>;
}

export function nodeVifContract(name: string, makeHarness: () => Promise<NodeVifHarness>): void {
  describe(`Node VIF contract: ${name}`, () => {
    let harness: NodeVifHarness;
    let vifs: NodeVifPort;

    beforeEach(async () => {
      harness = await makeHarness();
      vifs = harness.vifs;
    });
    afterEach(() => harness.dispose());

    const spec = (overrides: Partial<VifSpec> = {}): VifSpec => {
      const portId = randomUUID();
      return { portId, device: vifDeviceName(portId), mac: '02:00:00:aa:00:01', vmId: randomUUID(), ...overrides };
    };

    it('given no interface, when ensured twice, then one interface exists on br-int with the MAC in lower case', async () => {
      const wanted = spec({ mac: '02:00:00:AA:00:01' });
      await vifs.ensureVif(wanted);
      const again = await vifs.ensureVif(wanted);
      const expected = { ...wanted, mac: '02:00:00:aa:00:01', bridge: 'br-int' };
      expect(again).toEqual(expected);
      expect(await vifs.getVif(wanted.portId)).toEqual(expected);
      expect(await vifs.listVifs()).toEqual([expected]);
    });

    it('given an interface, when ensured with another MAC and VM, then it is updated in place', async () => {
      const wanted = spec();
      await vifs.ensureVif(wanted);
      const changed = { ...wanted, mac: '02:00:00:aa:00:02', vmId: randomUUID() };
      await vifs.ensureVif(changed);
      expect(await vifs.getVif(wanted.portId)).toEqual({ ...changed, bridge: 'br-int' });
      expect(await vifs.listVifs()).toHaveLength(1);
    });

    it('given an interface, when ensured with another device and bridge, then it moves', async () => {
      const wanted = spec();
      await vifs.ensureVif(wanted);
      const moved = { ...wanted, device: 'tap-moved', bridge: 'br-ex' };
      await vifs.ensureVif(moved);
      expect(await vifs.getVif(wanted.portId)).toEqual(moved);
      expect(await vifs.listVifs()).toHaveLength(1);
    });

    it('given an interface, when deleted twice, then it is gone and its device name is free again', async () => {
      const wanted = spec();
      await vifs.ensureVif(wanted);
      await vifs.deleteVif(wanted.portId);
      await vifs.deleteVif(wanted.portId);
      expect(await vifs.getVif(wanted.portId)).toBeNull();
      await vifs.ensureVif({ ...wanted, portId: randomUUID() });
    });

    it('given an interface, when another port id asks for its device, then InterfaceInUse', async () => {
      const first = spec();
      await vifs.ensureVif(first);
      await expect(vifs.ensureVif(spec({ device: first.device }))).rejects.toMatchObject({ code: 'InterfaceInUse', retryable: false });
    });

    it('given no such bridge, when ensured, then BridgeNotFound, retryable', async () => {
      await expect(vifs.ensureVif(spec({ bridge: 'br-missing' }))).rejects.toMatchObject({ code: 'BridgeNotFound', retryable: true });
    });

    it('given a malformed MAC or device name, when ensured, then Invalid', async () => {
      await expect(vifs.ensureVif(spec({ mac: 'nope' }))).rejects.toMatchObject({ code: 'Invalid', retryable: false });
      await expect(vifs.ensureVif(spec({ device: 'a-name-longer-than-15' }))).rejects.toMatchObject({ code: 'Invalid', retryable: false });
    });
  });
}
