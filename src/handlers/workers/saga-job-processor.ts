import { isRetryable } from '../../adapters/adapter-errors.js';
import type { ClusterPort } from '../../adapters/kubernetes/cluster.port.js';
import type { JsonValue, QueuedJob } from '../../adapters/queue/job-queue.port.js';
import { RetryableJobError } from '../../adapters/queue/retryable-job.error.js';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import type { StepError } from '../../domain/virtual-machine/virtual-machine.events.js';
import { pendingStep, type VirtualMachineState } from '../../domain/virtual-machine/virtual-machine.state.js';
import { SYSTEM_ACTOR, type CommandMetadata } from '../shared/command-metadata.js';
import type { SagaJobData } from '../sagas/saga-job.js';
import { failpoint } from './failpoints.js';
import { LIFECYCLE_STEPS } from './steps/lifecycle-steps.js';
import { HOT_RESIZE_STEPS } from './steps/hot-resize-steps.js';
import { LIVE_MIGRATION_STEPS } from './steps/live-migration-steps.js';
import { COLD_RESIZE_STEPS } from './steps/cold-resize-steps.js';
import { LIVE_UPDATE_STEPS } from './steps/live-update-steps.js';
import { NIC_STEPS } from './steps/nic-steps.js';
import type { NicStepPorts } from './steps/nic-step-ports.js';
import type { LiveChangePorts, StepOutcome, StepRunner } from './steps/step-context.js';
import { vmRef } from './steps/vm-spec.js';

export interface SagaJobProcessorDeps {
  /** Sends a VirtualMachine command through the bus (the step result). */
  execute(command: VirtualMachineCommand, meta: CommandMetadata): Promise<unknown>;
  loadVm(vmId: string): Promise<VirtualMachineState>;
  cluster: ClusterPort;
  convergenceTimeoutMs: number;
  pollIntervalMs: number;
  /** The ports of the hot resize, cold resize and live migration steps; absent, those steps fail with NotSupported. */
  live?: LiveChangePorts | null;
  /** The ports of the AttachNic / DetachNic steps; absent, those steps fail with NotSupported. */
  nics?: NicStepPorts | null;
  /** Told how each step attempt ended and how long it took (metrics). */
  onStepAttempt?(stepId: string, outcome: 'succeeded' | 'failed' | 'retrying', seconds: number): void;
}

const STEPS: Readonly<Record<string, StepRunner>> = { ...LIFECYCLE_STEPS, ...HOT_RESIZE_STEPS, ...LIVE_UPDATE_STEPS, ...LIVE_MIGRATION_STEPS, ...COLD_RESIZE_STEPS, ...NIC_STEPS };

/**
 * Runs one job: a step through its adapter port, then its result as a command.
 * A transient adapter error asks the queue for a retry while attempts remain; anything else, or the
 * last attempt, records the step as failed so the task is compensated.
 */
export class SagaJobProcessor {
  constructor(private readonly deps: SagaJobProcessorDeps) {}

  readonly process = async (job: QueuedJob): Promise<void> => {
    const data = job.data as unknown as SagaJobData;
    const meta: CommandMetadata = {
      requestId: data.requestId,
      correlationId: data.correlationId,
      causationId: data.causationEventId,
      actor: SYSTEM_ACTOR,
    };
    const vm = await this.deps.loadVm(data.serverId);
    // Level-based: run only what the task still waits for. A job whose result is already recorded
    // (a redelivery, a retry after a crash past the record) does nothing.
    if (!vm?.task || vm.task.taskId !== data.taskId || pendingStep(vm.task) !== data.stepId) return;

    const ids = { vmId: data.serverId, taskId: data.taskId, stepId: data.stepId, startedAt: job.firstStartedAt };
    let outcome: StepOutcome | undefined;
    let failure: StepError | undefined;
    const started = performance.now();
    const report = (result: 'succeeded' | 'failed' | 'retrying') =>
      this.deps.onStepAttempt?.(data.stepId, result, (performance.now() - started) / 1000);
    try {
      const run = STEPS[data.stepId];
      if (!run) throw new UnknownStepRunnerError(data.stepId);
      failpoint(`before-step:${data.stepId}`);
      outcome = await run({
        vm,
        ref: vmRef(vm),
        cluster: this.deps.cluster,
        memo: jobMemo(job),
        startedAt: job.firstStartedAt,
        convergenceTimeoutMs: this.deps.convergenceTimeoutMs,
        pollIntervalMs: this.deps.pollIntervalMs,
        live: this.deps.live ?? null,
        nics: this.deps.nics ?? null,
        meta,
        reportMigrationProgress: async (percent, memory) => {
          // Progress is informative: losing one report must not fail or retry the step.
          const progress = { vmId: data.serverId, taskId: data.taskId, percent, ...(memory ? { memory } : {}) };
          await this.deps.execute({ type: 'RecordMigrationProgress', data: progress }, meta).catch(() => undefined);
        },
      });
      failpoint(`after-side-effect:${data.stepId}`);
    } catch (error) {
      if (isRetryable(error) && job.attemptsMade + 1 < job.maxAttempts) {
        report('retrying');
        throw new RetryableJobError(error);
      }
      failure = stepError(error);
    }
    report(failure ? 'failed' : 'succeeded');
    await this.record(
      failure
        ? { type: 'RecordStepFailed', data: { ...ids, error: failure } }
        : { type: 'RecordStepSucceeded', data: { ...ids, ...(outcome?.host ? { host: outcome.host } : {}) } },
      meta,
    );
  };

  /** A result that could not be recorded (store unreachable) is retried; the domain ignores a duplicate. */
  private async record(command: VirtualMachineCommand, meta: CommandMetadata): Promise<void> {
    try {
      await this.deps.execute(command, meta);
    } catch (error) {
      throw new RetryableJobError(error);
    }
  }
}

export class UnknownStepRunnerError extends Error {
  constructor(readonly stepId: string) {
    super(`No runner for step ${stepId}`);
    this.name = 'UnknownStepRunnerError';
  }
}

function stepError(error: unknown): StepError {
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
}

/** The step's memo lives in the job's progress, which BullMQ keeps across retries and stalls. */
function jobMemo(job: QueuedJob) {
  const saved: Record<string, JsonValue> =
    job.progress && typeof job.progress === 'object' ? { ...(job.progress as Record<string, JsonValue>) } : {};
  return {
    get: (key: string) => (typeof saved[key] === 'string' ? (saved[key] as string) : undefined),
    set: async (key: string, value: string) => {
      saved[key] = value;
      await job.updateProgress(saved);
    },
  };
}
