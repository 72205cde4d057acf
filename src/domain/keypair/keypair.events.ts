export type KeypairType = 'ssh' | 'x509';

export interface KeypairData {
  userId: string;
  name: string;
  type: KeypairType;
  publicKey: string;
  fingerprint: string;
}

export type KeypairEvent =
  | { type: 'KeypairImported'; data: KeypairData }
  | { type: 'KeypairDeleted'; data: { userId: string; name: string } };

export type KeypairEventType = KeypairEvent['type'];

export const KEYPAIR_EVENT_VERSIONS: Record<KeypairEventType, number> = {
  KeypairImported: 1,
  KeypairDeleted: 1,
};

/** One stream per user and name: the name is unique per user, as in Nova. */
export const keypairStreamId = (userId: string, name: string): string => `keypair-${userId}-${encodeURIComponent(name)}`;
