import { checkQuota } from '../../../src/domain/quota/check-quota.js';
import { quotaDecider } from '../../../src/domain/quota/quota.decider.js';
import { InvalidQuotaError } from '../../../src/domain/quota/quota.errors.js';
import type { QuotaEvent } from '../../../src/domain/quota/quota.events.js';
import { DEFAULT_QUOTAS, effectiveQuotas } from '../../../src/domain/quota/quota-resources.js';
import { deciderSpec } from '../../support/decider-spec.js';

describe('checkQuota', () => {
  const limits = { instances: 10, cores: 20, ram: 51200 };

  it('given room for the request, then ok (up to exactly the limit)', () => {
    expect(checkQuota({ instances: 9, cores: 16, ram: 49152 }, { instances: 1, cores: 4, ram: 2048 }, limits)).toEqual({ ok: true });
  });

  it("given a request past one limit, then not ok with Nova's message", () => {
    expect(checkQuota({ instances: 3, cores: 18, ram: 4096 }, { instances: 1, cores: 4, ram: 2048 }, limits)).toEqual({
      ok: false,
      overs: [{ resource: 'cores', requested: 4, used: 18, limit: 20 }],
      message: 'Quota exceeded for cores: Requested 4, but already used 18 of 20 cores',
    });
  });

  it('given a request past several limits, then every one is named, in the order instances, cores, ram', () => {
    const result = checkQuota({ instances: 10, cores: 20, ram: 51200 }, { instances: 1, cores: 1, ram: 512 }, limits);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.overs.map((o) => o.resource)).toEqual(['instances', 'cores', 'ram']);
      expect(result.message).toBe('Quota exceeded for instances, cores, ram: Requested 1, but already used 10 of 10 instances');
    }
  });

  it('given an unlimited resource (-1) or a request of nothing, then that resource never overruns', () => {
    expect(checkQuota({ instances: 500, cores: 0, ram: 0 }, { instances: 1, cores: 1, ram: 1 }, { ...limits, instances: -1 })).toEqual({ ok: true });
    expect(checkQuota({ instances: 11, cores: 0, ram: 0 }, { instances: 0, cores: 1, ram: 1 }, limits)).toEqual({ ok: true });
  });
});

describe('Quota decider', () => {
  const spec = deciderSpec(quotaDecider, { now: '2026-11-22T10:00:00.000Z' });
  const set: QuotaEvent = { type: 'ProjectQuotasSet', data: { projectId: 'p', limits: { instances: 50, cores: -1 } } };

  it('given defaults, when quotas are set, then ProjectQuotasSet; setting the same again does nothing', () => {
    spec.given([]).when({ type: 'SetProjectQuotas', data: set.data }).then([set]);
    spec.given([set]).when({ type: 'SetProjectQuotas', data: set.data }).thenNothing();
  });

  it('given quotas, when some change, then only the changed ones are recorded', () => {
    spec
      .given([set])
      .when({ type: 'SetProjectQuotas', data: { projectId: 'p', limits: { instances: 50, ram: 1024 } } })
      .then([{ type: 'ProjectQuotasSet', data: { projectId: 'p', limits: { ram: 1024 } } }]);
  });

  it.each([[-2], [1.5], [2 ** 31]])('given defaults, when a limit of %s is set, then InvalidQuota', (value) => {
    spec.given([]).when({ type: 'SetProjectQuotas', data: { projectId: 'p', limits: { cores: value } } }).thenThrows(InvalidQuotaError);
  });

  it('given quotas, when reset, then ProjectQuotasReset and the defaults apply again; resetting defaults does nothing', () => {
    spec.given([set]).when({ type: 'ResetProjectQuotas', data: { projectId: 'p' } }).thenState((state) => {
      expect(effectiveQuotas(state)).toEqual(DEFAULT_QUOTAS);
    });
    spec.given([]).when({ type: 'ResetProjectQuotas', data: { projectId: 'p' } }).thenNothing();
  });
});
