/** Time and ids come from here so that the domain stays pure and tests can fix them. */
export abstract class Clock {
  abstract now(): string;
}

export class SystemClock extends Clock {
  now(): string {
    return new Date().toISOString();
  }
}

export abstract class IdGenerator {
  abstract next(): string;
}
