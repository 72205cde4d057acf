import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import { supportsNetworkAttachments, type ClusterPort } from '../../adapters/kubernetes/cluster.port.js';
import { NetworkAttachmentReconciler } from '../networking/network-attachment-reconciler.js';
import { ReservationSweeper } from '../networking/reservation-sweeper.js';
import { TaskDeadlineSweeper } from './task-deadline-sweeper.js';
import { NetworkingStreams } from '../networking/networking-streams.js';
import { SYSTEM_ACTOR } from '../shared/command-metadata.js';
import type { JobQueue } from '../../adapters/queue/job-queue.port.js';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { APP_CONFIG, CLUSTER, EVENT_STORE, HYPERVISOR, INFRASTRUCTURE, JOB_QUEUE, READ_MODEL_DB } from '../../app/tokens.js';
import type { Infrastructure } from '../../app/infrastructure.js';
import { nicStepPortsFor } from './nic-step-ports.factory.js';
import { supportsLiveChanges } from '../../adapters/kubernetes/vm-size-cluster.port.js';
import type { HypervisorPort } from '../../adapters/libvirt/hypervisor.port.js';
import type { AppConfig } from '../../config/config.schema.js';
import { virtualMachineDecider } from '../../domain/virtual-machine/virtual-machine.decider.js';
import { vmStreamId } from '../../domain/virtual-machine/virtual-machine.events.js';
import { serversAtRest, serversWithRunningTasks } from '../../projections/servers/server-sets.queries.js';
import { HandlersModule } from '../handlers.module.js';
import { LeaseKeeper } from '../lease/lease-keeper.js';
import { Metrics } from '../../api/metrics/metrics.js';
import { PowerStateObserver } from '../observers/power-state-observer.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import { IdGenerator } from '../shared/clock.js';
import { ExecuteVmCommand } from '../virtual-machine/execute-vm-command.command.js';
import { SagaJobProcessor } from '../workers/saga-job-processor.js';
import { liveChangePorts } from '../workers/steps/live-change-ports.js';
import { vmRef } from '../workers/steps/vm-spec.js';
import { ProcessManagerRunner } from './process-manager-runner.js';
import type { VirtualMachineState } from '../../domain/virtual-machine/virtual-machine.state.js';
import { VmTaskProcessManager } from './vm-task.process-manager.js';

const logger = new Logger('Sagas');

/**
 * The durable half of the flow: the process manager turns events into jobs, workers run them through
 * the adapter ports and report back as commands, reconciliation re-derives pending work from the
 * events (Redis may have lost it), and the power-state observer records what the cluster does alone.
 * Workers run in every process but API-only ones (PROCESS_ROLE=api); the rest runs only in the process
 * holding the lease (LeaseKeeper).
 */
@Module({
  imports: [HandlersModule],
  providers: [
    {
      provide: ProcessManagerRunner,
      inject: [APP_CONFIG, EVENT_STORE, READ_MODEL_DB, JOB_QUEUE, LeaseKeeper],
      useFactory: (config: AppConfig, store: EventStore, db: SqlDatabase, queue: JobQueue, keeper: LeaseKeeper) =>
        new ProcessManagerRunner<VirtualMachineState>({
          manager: new VmTaskProcessManager(),
          store,
          db,
          enqueue: (jobs) => queue.enqueue(jobs),
          fence: keeper.fence,
          onError: (error) => logger.warn(`process manager batch failed, retrying: ${String(error)}`),
        }),
    },
    {
      provide: TaskDeadlineSweeper,
      inject: [APP_CONFIG, CommandBus, READ_MODEL_DB],
      useFactory: (config: AppConfig, bus: CommandBus, db: SqlDatabase) =>
        new TaskDeadlineSweeper({
          db,
          deadlineMs: config.TASK_DEADLINE_SECONDS * 1000,
          execute: (command, meta) => bus.execute(new ExecuteVmCommand(command, meta)),
          onError: (error) => logger.warn(`task deadline sweep: ${String(error)}; trying again`),
        }),
    },
    {
      // Addresses and MACs a port create that died left held by no port.
      provide: ReservationSweeper,
      inject: [APP_CONFIG, READ_MODEL_DB, AggregateExecutor, IdGenerator],
      useFactory: (config: AppConfig, db: SqlDatabase, executor: AggregateExecutor, ids: IdGenerator) =>
        new ReservationSweeper({
          db,
          streams: new NetworkingStreams(executor),
          graceMs: config.RESERVATION_SWEEP_GRACE_SECONDS * 1000,
          now: () => Date.now(),
          meta: () => ({ requestId: `req-${ids.next()}`, actor: SYSTEM_ACTOR }),
        }),
    },
    {
      // Each network's NAD and Kube-OVN Subnet, where the cluster adapter can make them.
      provide: NetworkAttachmentReconciler,
      inject: [EVENT_STORE, READ_MODEL_DB, CLUSTER, AggregateExecutor, LeaseKeeper],
      useFactory: (store: EventStore, db: SqlDatabase, cluster: ClusterPort, executor: AggregateExecutor, keeper: LeaseKeeper) =>
        supportsNetworkAttachments(cluster)
          ? new NetworkAttachmentReconciler({
              store,
              db,
              cluster,
              sources: new NetworkingStreams(executor),
              fence: keeper.fence,
              onError: (error) => logger.warn(`network attachments: ${String(error)}; retrying`),
            })
          : null,
    },
    {
      provide: SagaJobProcessor,
      inject: [APP_CONFIG, CommandBus, AggregateExecutor, CLUSTER, HYPERVISOR, Metrics, INFRASTRUCTURE, NetworkAttachmentReconciler],
      useFactory: (
        config: AppConfig,
        bus: CommandBus,
        executor: AggregateExecutor,
        cluster: ClusterPort,
        hypervisor: HypervisorPort,
        metrics: Metrics,
        infrastructure: Infrastructure,
        attachments: NetworkAttachmentReconciler | null,
      ) =>
        new SagaJobProcessor({
          onStepAttempt: (step, outcome, seconds) => metrics.stepAttempts.observe({ step, outcome }, seconds),
          execute: (command, meta) => bus.execute(new ExecuteVmCommand(command, meta)),
          loadVm: async (vmId) => (await executor.load(vmStreamId(vmId), virtualMachineDecider)).state,
          cluster,
          convergenceTimeoutMs: config.STEP_CONVERGENCE_TIMEOUT_MS,
          pollIntervalMs: config.STEP_POLL_INTERVAL_MS,
          live: supportsLiveChanges(cluster) ? liveChangePorts(config, cluster, hypervisor) : null,
          nics: nicStepPortsFor({ cluster, fabric: infrastructure.fabric, bus, executor, attachments }),
        }),
    },
    {
      provide: PowerStateObserver,
      inject: [APP_CONFIG, CommandBus, CLUSTER, READ_MODEL_DB, IdGenerator],
      useFactory: (config: AppConfig, bus: CommandBus, cluster: ClusterPort, db: SqlDatabase, ids: IdGenerator) =>
        new PowerStateObserver({
          cluster,
          execute: (command, meta) => bus.execute(new ExecuteVmCommand(command, meta)),
          knownVms: async () => (await serversAtRest(db)).map((s) => ({ vmId: s.id, ref: vmRef({ id: s.id, projectId: s.projectId }) })),
          newRequestId: () => `req-${ids.next()}`,
          resyncIntervalMs: config.POWER_SYNC_INTERVAL_SECONDS * 1000,
          onError: (error) => logger.warn(`power-state sync: ${String(error)}`),
        }),
    },
  ],
  exports: [ProcessManagerRunner],
})
export class SagasModule implements OnModuleInit, OnApplicationBootstrap {
  private reconcileTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ProcessManagerRunner) private readonly runner: ProcessManagerRunner<VirtualMachineState>,
    @Inject(SagaJobProcessor) private readonly processor: SagaJobProcessor,
    @Inject(PowerStateObserver) private readonly observer: PowerStateObserver,
    @Inject(TaskDeadlineSweeper) private readonly deadlines: TaskDeadlineSweeper,
    @Inject(NetworkAttachmentReconciler) private readonly attachments: NetworkAttachmentReconciler | null,
    @Inject(ReservationSweeper) private readonly sweeper: ReservationSweeper,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    @Inject(LeaseKeeper) private readonly keeper: LeaseKeeper,
  ) {}

  onModuleInit(): void {
    this.keeper.register({ name: 'process managers, observers and sweepers', start: () => this.startSingletons(), stop: () => this.stopSingletons() });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.queue.onError(throttled((error: Error, suppressed: number) =>
      logger.warn(`job queue: ${error.message}${suppressed > 0 ? ` (and ${suppressed} more errors since the last report)` : ''}`),
    ));
    // An API-only process leaves the jobs to the background process.
    if (this.config.PROCESS_ROLE === 'api') return;
    await this.queue.startWorkers(this.processor.process, {
      concurrency: {
        cluster: this.config.WORKER_CONCURRENCY_CLUSTER,
        hypervisor: this.config.WORKER_CONCURRENCY_HYPERVISOR,
        fabric: this.config.WORKER_CONCURRENCY_FABRIC,
      },
    });
  }

  private async startSingletons(): Promise<void> {
    await this.runner.start();
    await this.attachments?.start();
    this.observer.start();
    this.deadlines.start();
    await this.reconcile();
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.config.RECONCILE_INTERVAL_SECONDS * 1000);
    this.reconcileTimer.unref();
    this.sweepTimer = setInterval(() => void this.sweep(), this.config.RESERVATION_SWEEP_INTERVAL_SECONDS * 1000);
    this.sweepTimer.unref();
  }

  private async stopSingletons(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.reconcileTimer = undefined;
    this.sweepTimer = undefined;
    this.observer.stop();
    await this.deadlines.stop();
    await this.attachments?.stop();
    await this.runner.stop();
  }

  private async sweep(): Promise<void> {
    try {
      const { releasedIps, releasedMacs } = await this.sweeper.sweep();
      if (releasedIps + releasedMacs > 0) logger.log(`freed ${releasedIps} addresses and ${releasedMacs} MACs held by no port`);
    } catch (error) {
      logger.warn(`reservation sweep failed, will try again: ${String(error)}`);
    }
  }

  /** Re-enqueues what running tasks wait for; a no-op for jobs Redis still holds. */
  async reconcile(): Promise<void> {
    try {
      const ids = await serversWithRunningTasks(this.db);
      const enqueued = await this.runner.reconcile(ids.map(vmStreamId));
      if (enqueued > 0) logger.debug?.(`reconciled ${ids.length} running tasks (${enqueued} jobs offered again)`);
    } catch (error) {
      logger.warn(`reconcile failed, will try again: ${String(error)}`);
    }
  }
}

/**
 * Every connection reports every reconnect attempt while Redis is down (dozens a second): report the
 * first, then at most one line every REPORT_EVERY_MS with how many were left out.
 */
const REPORT_EVERY_MS = 10_000;
function throttled(report: (error: Error, suppressed: number) => void): (error: Error) => void {
  let last = 0;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < REPORT_EVERY_MS) {
      suppressed += 1;
      return;
    }
    report(error, suppressed);
    last = now;
    suppressed = 0;
  };
}
