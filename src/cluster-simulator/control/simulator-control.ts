import type { DelayRule, FailRule, FaultRules } from './fault-rules.js';
import type { LoggedRequest, RequestLog } from './request-log.js';

/** What the control API reaches inside the simulator. */
export interface ControlTargets {
  faults: FaultRules;
  log: RequestLog;
  dropWatches(): number;
  makeUnreachable(durationMs: number): void;
  failNextMigrations(count: number, reason: string): void;
  setWatchHistorySize(size: number): void;
  reset(): void;
  controllerErrors(): string[];
}

/**
 * The simulator's control API (like rackerlabs/mimic's): inject faults, cut connections, read
 * what clients sent. The same operations are served over HTTP under /simulator/v1/.
 */
export class SimulatorControl {
  constructor(private readonly targets: ControlTargets) {}

  /** The next `count` (default 1) requests matching verb + resource (+ name/namespace) fail with `status`. */
  failNext(rule: FailRule): void {
    this.targets.faults.armFailure(rule);
  }

  /** The next `count` matching requests are answered only after `delayMs`. */
  delayNext(rule: DelayRule): void {
    this.targets.faults.armDelay(rule);
  }

  /** Ends every open watch stream (clients see the connection close); returns how many there were. */
  dropWatches(): number {
    return this.targets.dropWatches();
  }

  /** For `durationMs`, open connections are cut and new ones refused (reset). */
  makeUnreachable(durationMs: number): void {
    this.targets.makeUnreachable(durationMs);
  }

  /** The next `count` migrations (VirtualMachineInstanceMigrations) fail while transferring. */
  failNextMigration(options: { count?: number; reason?: string } = {}): void {
    this.targets.failNextMigrations(options.count ?? 1, options.reason ?? 'Live migration failed: simulated failure');
  }

  /** How many changes watches can resume across before 410 Gone. */
  setWatchHistorySize(size: number): void {
    this.targets.setWatchHistorySize(size);
  }

  /** The last errors the simulated controllers hit (conflicts with client writes are normal; others are simulator bugs). */
  controllerErrors(): string[] {
    return this.targets.controllerErrors();
  }

  requests(): LoggedRequest[] {
    return this.targets.log.all();
  }

  clearRequests(): void {
    this.targets.log.clear();
  }

  pendingFaults(): ReturnType<FaultRules['pending']> {
    return this.targets.faults.pending();
  }

  /** Back to a fresh cluster: objects (but nodes and the default namespaces), faults and the request log. */
  reset(): void {
    this.targets.faults.clear();
    this.targets.log.clear();
    this.targets.reset();
  }
}
