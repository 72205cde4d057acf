import { isRequestId, resolveRequestId } from '../../../../src/api/compute/request-id.js';

describe('request ids', () => {
  const id = 'req-0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c';

  it('given a client id of Nova form, when resolved, then it is kept and marked as the client\'s', () => {
    expect(resolveRequestId(id)).toEqual({ requestId: id, named: true });
    expect(resolveRequestId([` ${id} `, 'req-other'])).toEqual({ requestId: id, named: true });
  });

  it.each([['req-nope'], ['0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c'], [`${id}; drop table`], ['']])('given %j, when resolved, then a fresh one replaces it', (sent) => {
    const { requestId, named } = resolveRequestId(sent);
    expect(requestId).not.toBe(sent);
    expect(isRequestId(requestId)).toBe(true);
    expect(named).toBe(false);
  });

  it('given none, when resolved, then a fresh req-<uuid>', () => {
    expect(resolveRequestId(undefined, () => '11111111-2222-4333-8444-555555555555')).toEqual({ requestId: 'req-11111111-2222-4333-8444-555555555555', named: false });
  });
});
