import { decodeJobId, encodeJobId, jobIdProblem } from '../../../src/adapters/queue/job-id-encoding.js';

describe('job id encoding', () => {
  it('given an id of safe characters, when encoded, then it is unchanged', () => {
    expect(encodeJobId('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.step_1')).toBe('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.step_1');
  });

  it('given ids with ":" and "%", when encoded, then no ":" remains and decoding restores them', () => {
    for (const id of ['evt:step', 'a%3Ab', '%25:%', '::', 'x%']) {
      const encoded = encodeJobId(id);
      expect(encoded).not.toContain(':');
      expect(decodeJobId(encoded)).toBe(id);
    }
    expect(encodeJobId('a:b')).not.toBe(encodeJobId('a%3Ab'));
  });

  it('given ids BullMQ would refuse, when checked, then the problem is named', () => {
    expect(jobIdProblem('')).toMatch(/empty/);
    expect(jobIdProblem('42')).toMatch(/integer/);
    expect(jobIdProblem('x'.repeat(257))).toMatch(/256/);
    expect(jobIdProblem('042')).toBeNull();
    expect(jobIdProblem('evt-42')).toBeNull();
  });
});
