import { TransientAdapterError, type AdapterError } from '../adapter-errors.js';

/** Calls held by `hang`; released calls run the operation, or fail with the error given. */
export interface Hang {
  /** How many calls are waiting right now. */
  readonly pending: number;
  release(outcome?: AdapterError): void;
}

export interface FaultOptions {
  /** Only calls about this key (a vmId, a port id) are affected; all calls when omitted. */
  key?: string;
}

/**
 * What a contract test may ask of any implementation's harness. The simulations implement it in
 * process; a real adapter's harness maps it onto its fake server's control API.
 */
export interface FaultControl<Op extends string = string> {
  /** The next `count` calls fail with `error` before taking effect. */
  failNext(operation: Op, count: number, error: AdapterError, options?: FaultOptions): void;
  /** The next `count` calls take effect, then the caller gets `error` (a lost response). */
  failAfterNext(operation: Op, count: number, error: AdapterError, options?: FaultOptions): void;
  /** The next `count` calls fail with a 409-style conflict (transient). */
  conflictNext(operation: Op, count?: number, options?: FaultOptions): void;
  /** Calls never resolve until released; `count` calls when given, else every call until release. */
  hang(operation: Op, options?: FaultOptions & { count?: number }): Hang;
  clear(): void;
}

type Rule =
  | { kind: 'fail' | 'failAfter'; operation: string; key?: string; remaining: number; error: () => AdapterError }
  | { kind: 'hang'; operation: string; key?: string; remaining: number; hang: HangImpl };

class HangImpl implements Hang {
  private readonly waiting: Array<(outcome: AdapterError | undefined) => void> = [];
  released = false;
  private outcome: AdapterError | undefined;

  get pending(): number {
    return this.waiting.length;
  }

  wait(): Promise<AdapterError | undefined> {
    if (this.released) return Promise.resolve(this.outcome);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(outcome?: AdapterError): void {
    this.released = true;
    this.outcome = outcome;
    for (const resolve of this.waiting.splice(0)) resolve(outcome);
  }
}

/** Fault injection shared by the simulations: each port method runs through `intercept`. */
export class FaultInjector<Op extends string = string> implements FaultControl<Op> {
  private rules: Rule[] = [];

  failNext(operation: Op, count: number, error: AdapterError, options: FaultOptions = {}): void {
    this.rules.push({ kind: 'fail', operation, key: options.key, remaining: count, error: () => error });
  }

  failAfterNext(operation: Op, count: number, error: AdapterError, options: FaultOptions = {}): void {
    this.rules.push({ kind: 'failAfter', operation, key: options.key, remaining: count, error: () => error });
  }

  conflictNext(operation: Op, count = 1, options: FaultOptions = {}): void {
    this.rules.push({
      kind: 'fail',
      operation,
      key: options.key,
      remaining: count,
      error: () => new TransientAdapterError('Conflict', `${operation}: the object was modified; please apply your changes to the latest version`),
    });
  }

  hang(operation: Op, options: FaultOptions & { count?: number } = {}): Hang {
    const hang = new HangImpl();
    this.rules.push({ kind: 'hang', operation, key: options.key, remaining: options.count ?? Infinity, hang });
    return hang;
  }

  /** Releases every hang (so no caller is left waiting) and forgets all rules. */
  clear(): void {
    for (const rule of this.rules) if (rule.kind === 'hang') rule.hang.release();
    this.rules = [];
  }

  async intercept<T>(operation: Op, key: string | undefined, run: () => Promise<T>): Promise<T> {
    const hang = this.take('hang', operation, key);
    if (hang?.kind === 'hang') {
      const outcome = await hang.hang.wait();
      if (outcome) throw outcome;
    }
    const fail = this.take('fail', operation, key);
    if (fail?.kind === 'fail') throw fail.error();
    const result = await run();
    const failAfter = this.take('failAfter', operation, key);
    if (failAfter?.kind === 'failAfter') throw failAfter.error();
    return result;
  }

  private take(kind: Rule['kind'], operation: string, key: string | undefined): Rule | undefined {
    const rule = this.rules.find(
      (r) => r.kind === kind && r.operation === operation && r.remaining > 0 && (r.key === undefined || r.key === key) && !(r.kind === 'hang' && r.hang.released),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0 && rule.kind !== 'hang') this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}
