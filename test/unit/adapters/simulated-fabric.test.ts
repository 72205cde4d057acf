import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedFabric } from '../../../src/adapters/ovs/simulated-fabric.js';

describe('SimulatedFabric', () => {
  it('given a state file, when reloaded, then switches and ports survive and a re-ensure changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-fabric-'));
    const stateFile = join(dir, 'fabric.json');
    const first = new SimulatedFabric({ stateFile });
    await first.ensureLogicalSwitch({ id: 'net-1', name: 'n', cidrs: ['10.0.0.0/24'], excludeIps: [] });
    const port = { portId: 'p-1', switchId: 'net-1', mac: '02:00:00:00:00:01', ips: ['10.0.0.5'], vmId: 'vm-1', chassis: 'node-a' };
    await first.ensurePort(port);
    const second = new SimulatedFabric({ stateFile });
    await second.ensurePort({ chassis: 'node-a', vmId: 'vm-1', ips: ['10.0.0.5'], mac: '02:00:00:00:00:01', switchId: 'net-1', portId: 'p-1' });
    expect(second.effects.count('createPort', 'p-1')).toBe(1);
    expect(second.effects.count('updatePort', 'p-1')).toBe(0);
    expect(await second.listPorts('net-1')).toEqual([port]);
    rmSync(dir, { recursive: true, force: true });
  });
});
