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

const matches = (rule: RequestMatch, facts: RequestFacts) =>
  (rule.verb === '*' || rule.verb === facts.verb) && rule.resource === facts.resource &&
  (rule.name === undefined || rule.name === facts.name) && (rule.namespace === undefined || rule.namespace === facts.namespace);

/** Armed faults, each used up after `count` matching requests, checked in the order they were armed. */
export class FaultRules {
  private failures: Array<Armed<FailRule>> = [];
  private delays: Array<Armed<DelayRule>> = [];

  armFailure(rule: FailRule): void {
    this.failures.push({ rule, remaining: rule.count ?? 1 });
  }

  armDelay(rule: DelayRule): void {
    this.delays.push({ rule, remaining: rule.count ?? 1 });
  }

  takeFailure(facts: RequestFacts): FailRule | undefined {
    return this.take(this.failures, facts);
  }

  takeDelay(facts: RequestFacts): DelayRule | undefined {
    return this.take(this.delays, facts);
  }

  clear(): void {
    this.failures = [];
    this.delays = [];
  }

  pending(): { failures: FailRule[]; delays: DelayRule[] } {
    return {
      failures: this.failures.map((a) => ({ ...a.rule, count: a.remaining })),
      delays: this.delays.map((a) => ({ ...a.rule, count: a.remaining })),
    };
  }

  private take<T extends RequestMatch>(armed: Array<Armed<T>>, facts: RequestFacts): T | undefined {
    const found = armed.find((a) => a.remaining > 0 && matches(a.rule, facts));
    if (!found) return undefined;
    found.remaining--;
    if (found.remaining === 0) armed.splice(armed.indexOf(found), 1);
    return found.rule;
  }
}
