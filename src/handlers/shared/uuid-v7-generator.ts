import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { IdGenerator } from './clock.js';

const POOL_BYTES = 16 * 256;

/**
 * UUIDv7: time-ordered, so event ids sort by creation and index well. The random bits come from a
 * pool filled 4 KiB at a time: asking the OS for 16 bytes per id cost more than the rest of an append.
 */
export class UuidV7Generator extends IdGenerator {
  private pool = Buffer.alloc(0);
  private offset = 0;
  // With its own random bytes, uuid leaves the RFC 9562 counter to the caller: ids made within one
  // millisecond count up from a random start, so they still sort in the order they were made.
  private msecs = -1;
  private seq = 0;

  next(): string {
    if (this.offset + 16 > this.pool.length) {
      this.pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
      this.offset = 0;
    }
    const random = this.pool.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    const now = Date.now();
    if (now > this.msecs) {
      this.msecs = now;
      this.seq = random.readUInt32BE(6) & 0x7fffffff;
    } else {
      this.seq = (this.seq + 1) | 0;
      if (this.seq === 0) this.msecs += 1;
    }
    return uuidv7({ random, msecs: this.msecs, seq: this.seq });
  }
}

const shared = new UuidV7Generator();

/** A UUIDv7 from the process's pooled generator, for code that has no IdGenerator injected (API ids). */
export function newUuidV7(): string {
  return shared.next();
}
