import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('UuidV7Generator', () => {
  it('given many ids across several pool refills, then each is a UUIDv7 and none repeats', () => {
    const ids = new UuidV7Generator();
    const made = Array.from({ length: 2_000 }, () => ids.next());
    expect(made.every((id) => UUID_V7.test(id))).toBe(true);
    expect(new Set(made).size).toBe(made.length);
  });

  it('given ids made one after another, then they sort in the order they were made', () => {
    const ids = new UuidV7Generator();
    const made = Array.from({ length: 500 }, () => ids.next());
    expect([...made].sort()).toEqual(made);
  });
});
