import type { RequestMatch, Verb } from './fault-rules.js';

/** One client write the API server carried out (whatever the client was then told). */
export interface Effect {
  verb: Exclude<Verb, 'get' | 'list' | 'watch'>;
  /** Plural with an optional subresource or KubeVirt action: 'virtualmachines', 'virtualmachines/stop', 'pods/resize'. */
  resource: string;
  namespace?: string;
  /** The object's name (for a create, the name the server gave it); absent for deletecollection. */
  name?: string;
  /** The status the server would have answered. */
  status: number;
}

export type EffectMatch = Partial<RequestMatch>;

const fits = (match: EffectMatch, effect: Effect) =>
  (match.verb === undefined || match.verb === '*' || match.verb === effect.verb) &&
  (match.resource === undefined || match.resource === effect.resource) &&
  (match.name === undefined || match.name === effect.name) &&
  (match.namespace === undefined || match.namespace === effect.namespace);

/**
 * The side effects of client requests, in order: what a test asserts "happened exactly once" on,
 * whatever faults hid it from the client. The simulated controllers' own writes are not in it.
 * Kept across restarts with the state file; the oldest entries go beyond `limit`.
 */
export class EffectLog {
  private entries: Effect[] = [];

  constructor(private readonly limit = 20_000) {}

  record(effect: Effect): void {
    this.entries.push(effect);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  all(match: EffectMatch = {}): Effect[] {
    return this.entries.filter((e) => fits(match, e)).map((e) => ({ ...e }));
  }

  count(match: EffectMatch): number {
    return this.entries.filter((e) => fits(match, e)).length;
  }

  clear(): void {
    this.entries = [];
  }

  restore(entries: readonly Effect[]): void {
    this.entries = entries.map((e) => ({ ...e }));
  }
}
