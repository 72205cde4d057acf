import { UpcasterChain } from '../../../src/adapters/event-store/upcaster.js';
import { upcasters } from '../../../src/domain/upcasters.js';
import { vmCreatedV1Upcaster } from '../../../src/domain/virtual-machine/upcasters/vm-created-v1.upcaster.js';

const v1 = {
  vmId: 'vm-1',
  name: 'legacy',
  projectId: 'p',
  userId: 'u',
  flavor: { id: '1', name: 'm1.tiny', vcpus: 2, ramMb: 512, diskGb: 1 },
  imageRef: 'img',
  keyName: null,
  metadata: {},
  userDataSha256: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  task: { taskId: 't', action: 'create', steps: [], taskStates: [] },
};

describe('VMCreated v1 -> v2 upcaster', () => {
  it('given a v1 flavor snapshot, then the headroom is the size and the new fields take their defaults', () => {
    const v2 = vmCreatedV1Upcaster.upcast(v1) as { flavor: Record<string, unknown>; availabilityZone: unknown };
    expect(v2.flavor).toEqual({ ...v1.flavor, maxVcpus: 2, maxRamMb: 512, ephemeralGb: 0, swapMb: 0, extraSpecs: {} });
    expect(v2.availabilityZone).toBeNull();
  });

  it('given the domain upcasters in a chain, when a v1 VMCreated is read, then it comes out at v2', () => {
    const chain = new UpcasterChain(upcasters);
    const lifted = chain.upcast('VMCreated', 1, v1);
    expect(lifted.schemaVersion).toBe(2);
    expect(chain.upcast('VMCreated', 2, lifted.data)).toEqual(lifted);
  });

  it('does not change its input', () => {
    const copy = structuredClone(v1);
    vmCreatedV1Upcaster.upcast(v1);
    expect(v1).toEqual(copy);
  });
});
