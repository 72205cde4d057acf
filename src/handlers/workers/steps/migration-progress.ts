import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import type { MigrationObservation } from '../../../adapters/kubernetes/cluster.port.js';
import type { MigrationJob } from '../../../adapters/libvirt/hypervisor.port.js';
import { livePorts } from './live-change-context.js';
import type { StepContext } from './step-context.js';

/**
 * A new percentage is recorded only once it is this many points past the last one recorded. Every
 * record is an event in the VM's stream (a command through the decider, a projection write), and
 * the step looks at the migration every poll interval for as long as it copies, which for a busy
 * multi-GiB guest is minutes: without a step a migration would write hundreds of events that say
 * almost nothing. 5 points bound it to about 20 per migration, whatever its length or the poll rate,
 * still fine enough for a progress bar (Nova's libvirt driver, for the same reason, saves its
 * figures only every tenth look).
 */
export const PROGRESS_STEP_PERCENT = 5;

/**
 * How far a live migration got, read where a real deployment has it: KubeVirt writes no memory
 * progress on the VMIM or the VMI, so while the migration is Running the source node's libvirt job
 * (the hypervisor port's getMigrationJob, virsh domjobinfo in the source launcher pod) is asked.
 * Progress is informative: a read that fails is tried again at the next look and never fails the
 * step; a hypervisor without job statistics is not asked again.
 */
export class MigrationProgressFollower {
  private recorded: number | null;
  private seen: number | null = null;
  private unsupported = false;

  constructor(private readonly ctx: StepContext) {
    // After a restart the step goes on from what the VM's events already say.
    this.recorded = ctx.vm.migration?.progressPercent ?? null;
  }

  /** The last percentage read (recorded or not), for the step's description. */
  get percent(): number | null {
    return this.seen ?? this.recorded;
  }

  async look(m: MigrationObservation | null): Promise<void> {
    if (m?.phase !== 'Running' || this.unsupported) return;
    const node = m.migrationState?.sourceNode ?? this.ctx.vm.host;
    if (!node) return;
    let job;
    try {
      job = await livePorts(this.ctx).hypervisor.getMigrationJob({ vmId: this.ctx.vm.id, node });
    } catch (error) {
      if (error instanceof PermanentAdapterError && error.code === 'NotSupported') this.unsupported = true;
      return;
    }
    const percent = job ? migrationPercent(job) : null;
    if (!job || percent === null) return;
    this.seen = percent;
    if (this.recorded !== null && percent < this.recorded + PROGRESS_STEP_PERCENT) return;
    this.recorded = percent;
    await this.ctx.reportMigrationProgress(percent, {
      totalBytes: job.memoryTotalBytes,
      processedBytes: job.memoryProcessedBytes,
      remainingBytes: job.memoryRemainingBytes,
    });
  }
}

/**
 * Percent of the guest's memory copied, as Nova's libvirt driver counts it (100 less the share that
 * remains: what was sent is no measure, since dirtied pages are sent again). null without a total.
 */
export function migrationPercent(job: MigrationJob): number | null {
  if (job.memoryTotalBytes <= 0) return null;
  const remaining = Math.round((job.memoryRemainingBytes * 100) / job.memoryTotalBytes);
  return Math.max(0, Math.min(100, 100 - remaining));
}
