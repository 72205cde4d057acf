/** The verbs the API server authorizes requests under, as fault rules name them. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface RequestMatch {
  /** A verb, or '*' for any. */
  verb: Verb | '*';
  /** A plural, optionally with a subresource: 'virtualmachines', 'pods/resize', 'virtualmachines/start', 'pods/exec'. */
  resource: string;
  name?: string;
  namespace?: string;
}

export interface FailRule extends RequestMatch {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** HTTP status of the failure (default 500). */
  status?: number;
  /** metav1.Status reason (default from the status: InternalError, ServiceUnavailable, Conflict ...). */
  reason?: string;
  message?: string;
  /**
   * 'before' (default): the request is refused and nothing happens. 'after': the request is carried
   * out, then answered with the error (a misleading answer: the client cannot know it took effect);
   * only requests that succeed use the rule up.
   */
  when?: 'before' | 'after';
}

/** The next `count` matching requests that succeed are carried out, then their connection is cut unanswered (a lost reply). */
export interface DropRule extends RequestMatch {
  count?: number;
}

export interface DelayRule extends RequestMatch {
  count?: number;
  delayMs: number;
}

export interface RequestFacts {
  verb: Verb;
  resource: string;
  namespace?: string;
  name?: string;
}

interface Armed<T> {
  rule: T;
  remaining: number;
}

const defaultReasons: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Expired', 422: 'Invalid',
  429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};
export const defaultReason = (status: number): string => defaultReasons[status] ?? 'InternalError';

export const matches = (rule: RequestMatch, facts: RequestFacts) =>
  (rule.verb === '*' || rule.verb === facts.verb) && rule.resource === facts.resource &&
  (rule.name === undefined || rule.name === facts.name) && (rule.namespace === undefined || rule.namespace === facts.namespace);

/** Armed faults, each used up after `count` matching requests, checked in the order they were armed. */
export class FaultRules {
  private failures: Array<Armed<FailRule>> = [];
  private delays: Array<Armed<DelayRule>> = [];
  private drops: Array<Armed<DropRule>> = [];

  armFailure(rule: FailRule): void {
    this.failures.push({ rule, remaining: rule.count ?? 1 });
  }

  armDelay(rule: DelayRule): void {
    this.delays.push({ rule, remaining: rule.count ?? 1 });
  }

  armDrop(rule: DropRule): void {
    this.drops.push({ rule, remaining: rule.count ?? 1 });
  }

  /** A failure armed for `when` ('before' the request is carried out, or 'after' it succeeded). */
  takeFailure(facts: RequestFacts, when: 'before' | 'after' = 'before'): FailRule | undefined {
    return this.take(this.failures, facts, (rule) => (rule.when ?? 'before') === when);
  }

  takeDrop(facts: RequestFacts): DropRule | undefined {
    return this.take(this.drops, facts);
  }

  takeDelay(facts: RequestFacts): DelayRule | undefined {
    return this.take(this.delays, facts);
  }

  clear(): void {
    this.failures = [];
    this.delays = [];
    this.drops = [];
  }

  pending(): { failures: FailRule[]; delays: DelayRule[]; drops: DropRule[] } {
    const left = <T extends RequestMatch>(armed: Array<Armed<T>>) => armed.map((a) => ({ ...a.rule, count: a.remaining }));
    return { failures: left(this.failures), delays: left(this.delays), drops: left(this.drops) };
  }

  private take<T extends RequestMatch>(armed: Array<Armed<T>>, facts: RequestFacts, applies: (rule: T) => boolean = () => true): T | undefined {
    const found = armed.find((a) => a.remaining > 0 && applies(a.rule) && matches(a.rule, facts));
    if (!found) return undefined;
    found.remaining--;
    if (found.remaining === 0) armed.splice(armed.indexOf(found), 1);
    return found.rule;
  }
}
