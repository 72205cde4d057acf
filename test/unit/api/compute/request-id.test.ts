import { isRequestId, resolveRequestId } from '../../../../src/api/compute/request-id.js';

describe('request ids', () => {
  const id = 'req-0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c';

  it('given a client id of Nova form, when resolved, then it is kept', () => {
    expect(resolveRequestId(id)).toBe(id);
  });

  it.each([['req-nope'], ['0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c'], [`${id}; drop table`], ['']])('given %j, when resolved, then a fresh one replaces it', (sent) => {
    const resolved = resolveRequestId(sent);
    expect(resolved).not.toBe(sent);
    expect(isRequestId(resolved)).toBe(true);
  });

  it('given none, when resolved, then a fresh req-<uuid>', () => {
    expect(resolveRequestId(undefined, () => '11111111-2222-4333-8444-555555555555')).toBe('req-11111111-2222-4333-8444-555555555555');
  });
});
