import type { Decider } from '../shared/decider.js';
import type { KeypairCommand } from './keypair.commands.js';
import { InvalidKeypairError, KeypairExistsError, KeypairNotFoundError } from './keypair.errors.js';
import type { KeypairData, KeypairEvent } from './keypair.events.js';
import { parseSshPublicKey } from './public-key.js';

/** A user's key pair of one name: absent (never, or deleted) or present. */
export type KeypairState = KeypairData | null;

/** Nova 2.92's name rule: letters, digits, space, '.', '_', '@', '-'; 1 to 255 characters, no edge spaces. */
const NAME = /^(?! )[a-zA-Z0-9 ._@-]{1,255}(?<! )$/;

export function decide(command: KeypairCommand, state: KeypairState): KeypairEvent[] {
  switch (command.type) {
    case 'ImportKeypair': {
      const { userId, name, type, publicKey } = command.data;
      if (!NAME.test(name)) throw new InvalidKeypairError('Keypair data is invalid: Keypair name contains unsafe characters');
      if (state) throw new KeypairExistsError(name);
      if (type !== 'ssh') throw new InvalidKeypairError(`Keypair data is invalid: only ssh keys are supported, not ${type}`);
      const parsed = parseSshPublicKey(publicKey);
      return [{ type: 'KeypairImported', data: { userId, name, type, publicKey: parsed.publicKey, fingerprint: parsed.fingerprint } }];
    }
    case 'DeleteKeypair':
      if (!state) throw new KeypairNotFoundError(command.data.name, command.data.userId);
      return [{ type: 'KeypairDeleted', data: { userId: command.data.userId, name: command.data.name } }];
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: KeypairState, event: KeypairEvent): KeypairState {
  switch (event.type) {
    case 'KeypairImported':
      return { ...event.data };
    case 'KeypairDeleted':
      return null;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const keypairDecider: Decider<KeypairCommand, KeypairEvent, KeypairState> = {
  decide: (command, state) => decide(command, state),
  evolve,
  initialState: () => null,
};
