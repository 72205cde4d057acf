/**
 * BullMQ refuses custom job ids containing ':' (its key separator), so ids are percent-encoded before
 * they reach it: '%' and ':' become %25 and %3A, everything else stays readable. The encoding is
 * reversible and the identity for ids made of [A-Za-z0-9_.-] (UUIDs, event ids).
 */
export function encodeJobId(id: string): string {
  return id.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));
}

export function decodeJobId(encoded: string): string {
  return encoded.replace(/%25|%3A/g, (s) => (s === '%25' ? '%' : ':'));
}

/** Why BullMQ would refuse this (encoded) id, or null when it is fine. */
export function jobIdProblem(id: string): string | null {
  if (id.length === 0) return 'the id is empty';
  if (id.length > 256) return 'the id is longer than 256 characters';
  // BullMQ keeps bare integers for the ids it generates itself.
  if (`${parseInt(id, 10)}` === id) return 'the id is a bare integer, which BullMQ reserves for its own ids';
  return null;
}
