import { RetryableJobError } from '../../../src/adapters/queue/retryable-job.error.js';

describe('RetryableJobError', () => {
  it('given a cause, when wrapped, then the message and cause are kept', () => {
    const cause = new Error('503 from the API server');
    const error = new RetryableJobError(cause);
    expect(error.message).toBe('503 from the API server');
    expect(error.cause).toBe(cause);
    expect(RetryableJobError.is(error)).toBe(true);
  });

  it('given other errors, when checked, then they are not retryable', () => {
    expect(RetryableJobError.is(new Error('boom'))).toBe(false);
    expect(RetryableJobError.is('RetryableJobError')).toBe(false);
    expect(RetryableJobError.is(Object.assign(new Error('x'), { name: 'RetryableJobError' }))).toBe(false);
  });
});
