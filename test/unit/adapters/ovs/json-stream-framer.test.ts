import fc from 'fast-check';
import { JsonFramingError, JsonStreamFramer } from '../../../../src/adapters/ovs/ovsdb/json-stream-framer.js';

/** Cuts `text` at the given offsets (sorted, deduplicated, within bounds). */
function cut(text: string, offsets: number[]): string[] {
  const points = [...new Set(offsets.map((o) => o % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const message = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue()),
  fc.array(fc.jsonValue()),
);

describe('JsonStreamFramer', () => {
  it('given messages sent back to back, when the stream is cut anywhere, then the same messages come out in order', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom('', ' ', '\n'), (messages, offsets, gap) => {
        const framer = new JsonStreamFramer();
        const text = messages.map((m) => JSON.stringify(m)).join(gap);
        const out = cut(text, offsets).flatMap((piece) => framer.push(piece));
        expect(out).toEqual(JSON.parse(JSON.stringify(messages)));
      }),
    );
  });

  it('given three replies in one chunk, when pushed, then three messages come out', () => {
    const framer = new JsonStreamFramer();
    expect(framer.push('{"id":1,"result":[]}{"id":2,"result":{}}{"id":3,"error":null}')).toEqual([
      { id: 1, result: [] },
      { id: 2, result: {} },
      { id: 3, error: null },
    ]);
  });

  it('given strings holding braces, brackets, quotes and backslashes, when split inside them, then they are not mistaken for structure', () => {
    const framer = new JsonStreamFramer();
    const tricky = { details: 'a } b ] c { d [ "e" \\ f \\"', x: ['}', '\\'] };
    const text = JSON.stringify(tricky) + JSON.stringify({ id: 2 });
    const out: unknown[] = [];
    for (const ch of text) out.push(...framer.push(ch));
    expect(out).toEqual([tricky, { id: 2 }]);
  });

  it('given a partial message, when nothing more arrives, then nothing comes out', () => {
    const framer = new JsonStreamFramer();
    expect(framer.push('{"id":1,"result":[{"count"')).toEqual([]);
    expect(framer.push(':1}]}')).toEqual([{ id: 1, result: [{ count: 1 }] }]);
  });

  it('given a reset after a partial message, when a new stream starts, then the old half is forgotten', () => {
    const framer = new JsonStreamFramer();
    framer.push('{"id":1,"res');
    framer.reset();
    expect(framer.push('{"id":2}')).toEqual([{ id: 2 }]);
  });

  it('given garbage between messages, when pushed, then a framing error is thrown', () => {
    expect(() => new JsonStreamFramer().push('{"id":1} x')).toThrow(JsonFramingError);
  });

  it('given a message larger than the limit, when pushed unfinished, then a framing error is thrown', () => {
    expect(() => new JsonStreamFramer(10).push('{"id":"01234567890')).toThrow(/exceeds 10/);
  });
});
