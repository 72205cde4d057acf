import type { Effect, EffectLog, EffectMatch } from './effect-log.js';
import type { DelayRule, DropRule, FailRule, FaultRules } from './fault-rules.js';
import type { ArmedHang, HangRelease, HangRule, HeldRequests } from './held-requests.js';
import type { LoggedRequest, RequestLog } from './request-log.js';

/** A hang armed by hangNext: release() ends the requests it holds (by default 504, not carried out). */
export interface HangHandle {
  readonly id: string;
  release(release?: HangRelease): void;
}

/** What the control API reaches inside the simulator. */
export interface ControlTargets {
  faults: FaultRules;
  hangs: HeldRequests;
  effects: EffectLog;
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

  /**
   * The next `count` (default 1) requests matching verb + resource (+ name/namespace) fail with
   * `status`; with `when: 'after'` they are carried out first (the effect happens, the client hears an error).
   */
  failNext(rule: FailRule): void {
    this.targets.faults.armFailure(rule);
  }

  /** The next `count` matching requests that succeed are carried out, then their connection is cut without an answer. */
  dropReplyNext(rule: DropRule): void {
    this.targets.faults.armDrop(rule);
  }

  /** The next `count` matching requests hang: neither carried out nor answered until the handle releases them. */
  hangNext(rule: HangRule): HangHandle {
    const id = this.targets.hangs.arm(rule);
    return { id, release: (release) => void this.releaseHang(id, release) };
  }

  /** Ends a hang's held requests (see HangRelease); false when no such hang is armed. */
  releaseHang(id: string, release: HangRelease = {}): boolean {
    return this.targets.hangs.release(id, release);
  }

  /** What clients' writes did, in order (see Effect), optionally only those matching. */
  effects(match: EffectMatch = {}): Effect[] {
    return this.targets.effects.all(match);
  }

  /** How many client writes matching verb / resource / name / namespace were carried out. */
  effectCount(match: EffectMatch): number {
    return this.targets.effects.count(match);
  }

  clearEffects(): void {
    this.targets.effects.clear();
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

  pendingFaults(): ReturnType<FaultRules['pending']> & { hangs: ArmedHang[] } {
    return { ...this.targets.faults.pending(), hangs: this.targets.hangs.pending() };
  }

  /** Back to a fresh cluster: objects (but nodes and the default namespaces), faults (held requests answered 504), the request and effect logs. */
  reset(): void {
    this.targets.faults.clear();
    this.targets.hangs.releaseAll();
    this.targets.log.clear();
    this.targets.effects.clear();
    this.targets.reset();
  }
}
