import type { Decider } from '../shared/decider.js';
import type { FlavorCommand } from './flavor.commands.js';
import { FlavorExistsError, FlavorNotFoundError, InvalidFlavorError } from './flavor.errors.js';
import type { FlavorEvent } from './flavor.events.js';
import type { FlavorSnapshot } from './flavor-snapshot.js';
import type { FlavorState } from './flavor.state.js';

export function decide(command: FlavorCommand, state: FlavorState): FlavorEvent[] {
  switch (command.type) {
    case 'CreateFlavor':
      // A deleted flavor's id stays taken: VMs and the audit trail still refer to it.
      if (state) throw new FlavorExistsError(command.data.id);
      assertValidFlavor(command.data);
      return [{ type: 'FlavorCreated', data: command.data }];
    case 'SetFlavorExtraSpecs': {
      const flavor = existing(state, command.data.id);
      assertValidExtraSpecs(command.data.extraSpecs);
      const merged = { ...flavor.extraSpecs, ...command.data.extraSpecs };
      if (Object.entries(merged).every(([k, v]) => flavor.extraSpecs[k] === v)) return [];
      return [{ type: 'FlavorExtraSpecsSet', data: command.data }];
    }
    case 'DeleteFlavor':
      existing(state, command.data.id);
      return [{ type: 'FlavorDeleted', data: { id: command.data.id } }];
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: FlavorState, event: FlavorEvent): FlavorState {
  switch (event.type) {
    case 'FlavorCreated':
      return { ...event.data, extraSpecs: { ...event.data.extraSpecs }, deleted: false };
    case 'FlavorExtraSpecsSet':
      return state && { ...state, extraSpecs: { ...state.extraSpecs, ...event.data.extraSpecs } };
    case 'FlavorDeleted':
      return state && { ...state, deleted: true };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const initialState = (): FlavorState => null;

export const flavorDecider: Decider<FlavorCommand, FlavorEvent, FlavorState> = {
  decide: (command, state) => decide(command, state),
  evolve,
  initialState,
};

function existing(state: FlavorState, id: string) {
  if (!state || state.deleted) throw new FlavorNotFoundError(id);
  return state;
}

const isWhole = (n: unknown, min: number) => Number.isInteger(n) && (n as number) >= min;

function assertValidFlavor(f: FlavorSnapshot): void {
  if (!f.id || f.id.length > 255) throw new InvalidFlavorError('Flavor id must be 1 to 255 characters long.');
  if (!f.name || f.name.length > 255 || f.name.trim() !== f.name) {
    throw new InvalidFlavorError('Flavor name must be 1 to 255 characters long, without leading or trailing spaces.');
  }
  if (!isWhole(f.vcpus, 1)) throw new InvalidFlavorError('Flavor vcpus must be a whole number of at least 1.');
  if (!isWhole(f.ramMb, 1)) throw new InvalidFlavorError('Flavor ram must be a whole number of MB, at least 1.');
  if (!isWhole(f.diskGb, 0)) throw new InvalidFlavorError('Flavor disk must be a whole number of GB, at least 0.');
  if (!isWhole(f.ephemeralGb, 0)) throw new InvalidFlavorError('Flavor ephemeral disk must be a whole number of GB, at least 0.');
  if (!isWhole(f.swapMb, 0)) throw new InvalidFlavorError('Flavor swap must be a whole number of MB, at least 0.');
  if (!isWhole(f.maxVcpus, f.vcpus)) {
    throw new InvalidFlavorError(`Flavor max vcpus (${f.maxVcpus}) must be a whole number of at least vcpus (${f.vcpus}).`);
  }
  if (!isWhole(f.maxRamMb, f.ramMb)) {
    throw new InvalidFlavorError(`Flavor max ram (${f.maxRamMb} MB) must be a whole number of at least ram (${f.ramMb} MB).`);
  }
  assertValidExtraSpecs(f.extraSpecs);
}

function assertValidExtraSpecs(specs: Record<string, string>): void {
  for (const [key, value] of Object.entries(specs)) {
    if (!key || key.length > 255 || typeof value !== 'string' || value.length > 255) {
      throw new InvalidFlavorError('Flavor extra spec keys and values must be strings of 1 to 255 characters.');
    }
  }
}
