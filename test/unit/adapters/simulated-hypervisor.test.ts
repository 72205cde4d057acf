import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedHypervisor } from '../../../src/adapters/libvirt/simulated-hypervisor.js';
import { eventually } from '../../support/eventually.js';

describe('SimulatedHypervisor', () => {
  const ref = { vmId: 'vm-1', node: 'node-a' };
  const definition = { ref, vcpus: { current: 1, max: 4 }, memoryMiB: { current: 1024, max: 4096 } };

  it('given a guest that is slow, when vCPUs are added, then libvirt reports them at once and the guest later', async () => {
    const sim = new SimulatedHypervisor({ latency: { guest: 30 } });
    sim.defineDomain(definition);
    await sim.setVcpus(ref, 3);
    expect((await sim.getDomain(ref))?.guest?.vcpusOnline).toBe(1);
    await eventually(async () => expect((await sim.getDomain(ref))?.guest?.vcpusOnline).toBe(3));
    sim.close();
  });

  it('given no guest agent, when looked up, then the guest view is unknown', async () => {
    const sim = new SimulatedHypervisor({ guestAgent: false });
    sim.defineDomain(definition);
    expect((await sim.getDomain(ref))?.guest).toBeNull();
    sim.close();
  });

  it('given a state file, when reloaded, then domains and effect counts survive and repeats add nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-hv-'));
    const stateFile = join(dir, 'hv.json');
    const first = new SimulatedHypervisor({ stateFile });
    first.defineDomain(definition);
    await first.setMemory(ref, 2048);
    first.close();
    const second = new SimulatedHypervisor({ stateFile });
    await second.setMemory(ref, 2048);
    expect((await second.getDomain(ref))?.memoryMiB.current).toBe(2048);
    expect(second.effects.count('setMemory', 'vm-1')).toBe(1);
    second.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
