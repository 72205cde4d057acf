import type { KeypairType } from './keypair.events.js';

export type KeypairCommand =
  /** A generated key arrives here too, as its public half: the private key is never in a command or event. */
  | { type: 'ImportKeypair'; data: { userId: string; name: string; type: KeypairType; publicKey: string } }
  | { type: 'DeleteKeypair'; data: { userId: string; name: string } };
