import { PermanentAdapterError, TransientAdapterError } from '../../../src/adapters/adapter-errors.js';
import type { MigrationObservation } from '../../../src/adapters/kubernetes/cluster.port.js';
import type { DomainRef, MigrationJob } from '../../../src/adapters/libvirt/hypervisor.port.js';
import type { MigrationMemory } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { MigrationProgressFollower, PROGRESS_STEP_PERCENT } from '../../../src/handlers/workers/steps/migration-progress.js';
import type { StepContext } from '../../../src/handlers/workers/steps/step-context.js';

const GiB = 2 ** 30;
const job = (copiedShare: number): MigrationJob => ({
  memoryTotalBytes: 4 * GiB,
  memoryProcessedBytes: Math.round(4 * GiB * copiedShare),
  memoryRemainingBytes: 4 * GiB - Math.round(4 * GiB * copiedShare),
});
const running = (sourceNode = 'node-1'): MigrationObservation => ({
  ref: { namespace: 'p', name: 'mig-task' },
  vmiName: 'vm-1',
  uid: 'u',
  phase: 'Running',
  migrationState: { sourceNode, targetNode: 'node-2', completed: false, failed: false, abortRequested: false },
  deleting: false,
});

/** A step context with only what the follower uses: the VM, the hypervisor's answers, the reports. */
function given(answers: Array<MigrationJob | null | Error>, recordedPercent: number | null = null) {
  const asked: DomainRef[] = [];
  const reports: Array<{ percent: number; memory?: MigrationMemory }> = [];
  const ctx = {
    vm: { id: 'vm-1', host: 'node-1', migration: { taskId: 't', sourceHost: 'node-1', targetHost: null, abortRequested: false, progressPercent: recordedPercent } },
    live: {
      hypervisor: {
        getMigrationJob: async (ref: DomainRef) => {
          asked.push(ref);
          const answer = answers.shift();
          if (answer instanceof Error) throw answer;
          return answer ?? null;
        },
      },
    },
    reportMigrationProgress: async (percent: number, memory?: MigrationMemory) => void reports.push({ percent, memory }),
  } as unknown as StepContext;
  return { follower: new MigrationProgressFollower(ctx), asked, reports };
}

describe('MigrationProgressFollower', () => {
  it('given a Running migration, when its source job is read at each look, then the first figure and every step of at least 5 points are recorded with libvirt\'s bytes', async () => {
    const { follower, asked, reports } = given([job(0), job(0.02), job(0.05), job(0.07), job(0.31), job(0.33)]);
    for (let i = 0; i < 6; i++) await follower.look(running());
    expect(PROGRESS_STEP_PERCENT).toBe(5);
    expect(reports.map((r) => r.percent)).toEqual([0, 5, 31]);
    expect(reports[2]!.memory).toEqual({ totalBytes: 4 * GiB, processedBytes: job(0.31).memoryProcessedBytes, remainingBytes: job(0.31).memoryRemainingBytes });
    expect(asked.every((ref) => ref.vmId === 'vm-1' && ref.node === 'node-1')).toBe(true);
    expect(follower.percent).toBe(33);
  });

  it('given progress recorded before a restart, when the step follows again, then it goes on from there instead of recording it again', async () => {
    const { follower, reports } = given([job(0.42), job(0.47)], 40);
    await follower.look(running());
    await follower.look(running());
    expect(reports.map((r) => r.percent)).toEqual([47]);
  });

  it('given a migration not yet Running or already done, when looked at, then the hypervisor is not asked', async () => {
    const { follower, asked } = given([job(0.5)]);
    await follower.look({ ...running(), phase: 'TargetReady' });
    await follower.look({ ...running(), phase: 'Succeeded' });
    await follower.look(null);
    expect(asked).toEqual([]);
  });

  it('given a read that fails transiently, when looked at, then nothing is recorded and the next look reads again', async () => {
    const { follower, reports } = given([new TransientAdapterError('Timeout', 'exec timed out'), job(0.2)]);
    await follower.look(running());
    await follower.look(running());
    expect(reports.map((r) => r.percent)).toEqual([20]);
  });

  it('given a hypervisor without job statistics, when looked at, then it is asked once and the migration is followed without progress', async () => {
    const { follower, asked, reports } = given([new PermanentAdapterError('NotSupported', 'virDomainGetJobInfo'), job(0.5)]);
    await follower.look(running());
    await follower.look(running());
    expect({ asked: asked.length, reports }).toEqual({ asked: 1, reports: [] });
  });
});
