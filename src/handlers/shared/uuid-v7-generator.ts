import { v7 as uuidv7 } from 'uuid';
import { IdGenerator } from './clock.js';

/** UUIDv7: time-ordered, so event ids sort by creation and index well. */
export class UuidV7Generator extends IdGenerator {
  next(): string {
    return uuidv7();
  }
}
