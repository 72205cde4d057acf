import { DEFAULT_FLAVORS } from '../../../src/domain/flavor/default-flavors.js';
import { flavorDecider } from '../../../src/domain/flavor/flavor.decider.js';
import { FlavorExistsError, FlavorNotFoundError, InvalidFlavorError } from '../../../src/domain/flavor/flavor.errors.js';
import type { FlavorEvent } from '../../../src/domain/flavor/flavor.events.js';
import { snapshotOf } from '../../../src/domain/flavor/flavor.state.js';
import { deciderSpec } from '../../support/decider-spec.js';

const spec = deciderSpec(flavorDecider, { now: '2026-11-22T10:00:00.000Z' });
const tiny = DEFAULT_FLAVORS[0]!;
const created: FlavorEvent = { type: 'FlavorCreated', data: tiny };

describe('Flavor decider', () => {
  it('given no flavor, when created, then FlavorCreated', () => {
    spec.given([]).when({ type: 'CreateFlavor', data: tiny }).then([created]);
  });

  it('given a flavor, when created again with its id, then FlavorExists', () => {
    spec.given([created]).when({ type: 'CreateFlavor', data: tiny }).thenThrows(FlavorExistsError, 'Flavor with ID 1 already exists.');
  });

  it('given a deleted flavor, when its id is created again, then FlavorExists (ids stay taken)', () => {
    spec.given([created, { type: 'FlavorDeleted', data: { id: '1' } }]).when({ type: 'CreateFlavor', data: tiny }).thenThrows(FlavorExistsError);
  });

  it.each([
    ['no vcpus', { vcpus: 0 }],
    ['fractional ram', { ramMb: 1.5 }],
    ['negative disk', { diskGb: -1 }],
    ['headroom below vcpus', { maxVcpus: 0 }],
    ['headroom below ram', { maxRamMb: 256 }],
    ['blank name', { name: '' }],
  ])('given no flavor, when created with %s, then InvalidFlavor', (_why, change) => {
    spec.given([]).when({ type: 'CreateFlavor', data: { ...tiny, ...change } }).thenThrows(InvalidFlavorError);
  });

  it('given a flavor, when extra specs are set, then they merge; setting the same again does nothing', () => {
    const set: FlavorEvent = { type: 'FlavorExtraSpecsSet', data: { id: '1', extraSpecs: { 'hw:cpu_policy': 'dedicated' } } };
    spec.given([created]).when({ type: 'SetFlavorExtraSpecs', data: set.data }).then([set]);
    spec.given([created, set]).when({ type: 'SetFlavorExtraSpecs', data: set.data }).thenNothing();
  });

  it('given a deleted flavor, when deleted again, then FlavorNotFound', () => {
    spec.given([created, { type: 'FlavorDeleted', data: { id: '1' } }]).when({ type: 'DeleteFlavor', data: { id: '1' } }).thenThrows(FlavorNotFoundError);
  });

  it('given a flavor, when snapshotted for a VM, then the snapshot has sizes and headroom but no catalogue fields', () => {
    spec.given([]).when({ type: 'CreateFlavor', data: tiny }).thenState((flavor) => {
      expect(snapshotOf(flavor!)).toEqual({
        id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 512, diskGb: 1, ephemeralGb: 0, swapMb: 0, maxVcpus: 4, maxRamMb: 2048, extraSpecs: {},
      });
    });
  });
});
