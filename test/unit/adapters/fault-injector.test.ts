import { PermanentAdapterError, TransientAdapterError, isRetryable } from '../../../src/adapters/adapter-errors.js';
import { FaultInjector } from '../../../src/adapters/simulation/fault-injector.js';
import { eventually, hasSettled } from '../../support/eventually.js';

describe('FaultInjector', () => {
  const ok = async () => 'done';

  it('given failNext for one key, when other keys are called, then only that key fails', async () => {
    const faults = new FaultInjector();
    faults.failNext('op', 1, new PermanentAdapterError('Nope', 'injected'), { key: 'a' });
    await expect(faults.intercept('op', 'b', ok)).resolves.toBe('done');
    await expect(faults.intercept('op', 'a', ok)).rejects.toMatchObject({ code: 'Nope' });
    await expect(faults.intercept('op', 'a', ok)).resolves.toBe('done');
  });

  it('given failAfterNext, when called, then the operation ran and the caller still gets the error', async () => {
    const faults = new FaultInjector();
    let ran = 0;
    faults.failAfterNext('op', 1, new TransientAdapterError('Timeout', 'lost'));
    await expect(faults.intercept('op', undefined, async () => ++ran)).rejects.toMatchObject({ code: 'Timeout' });
    expect(ran).toBe(1);
  });

  it('given a hang with a count, when called more often, then only that many calls wait', async () => {
    const faults = new FaultInjector();
    const hang = faults.hang('op', { count: 1 });
    const first = faults.intercept('op', undefined, ok);
    await expect(faults.intercept('op', undefined, ok)).resolves.toBe('done');
    expect(hang.pending).toBe(1);
    expect(await hasSettled(first)).toBe(false);
    hang.release();
    await expect(first).resolves.toBe('done');
  });

  it('given hung calls, when cleared, then they are released and no rule remains', async () => {
    const faults = new FaultInjector();
    const hang = faults.hang('op');
    const call = faults.intercept('op', undefined, ok);
    await eventually(() => expect(hang.pending).toBe(1));
    faults.failNext('op', 5, new PermanentAdapterError('Nope', 'injected'));
    faults.clear();
    await expect(call).resolves.toBe('done');
    await expect(faults.intercept('op', undefined, ok)).resolves.toBe('done');
  });

  it('given adapter errors, when asked whether to retry, then only transient ones are retryable', () => {
    expect(isRetryable(new TransientAdapterError('Timeout', 't'))).toBe(true);
    expect(isRetryable(new PermanentAdapterError('OverMaximum', 'p'))).toBe(false);
    expect(isRetryable(new Error('bug'))).toBe(false);
    expect(new TransientAdapterError('Timeout', 't').name).toBe('TransientAdapterError');
  });
});
