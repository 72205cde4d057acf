/** One simulated controller: looks at what changed since its last step (its work queue) and takes at most a step per object. */
export interface Controller {
  reconcile(): void;
}

/**
 * Runs every controller in a fixed order once per `stepMs`: the simulated cluster's clock. A
 * controller that throws (a conflict with a client's write, say) simply tries again next tick.
 * A step that takes longer than `stepMs` (many objects) is followed by a pause as long as it took,
 * so that the API server in the same process keeps at least half the time to answer its clients.
 */
export class ControllerLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  readonly errors: Error[] = [];

  constructor(private readonly controllers: Array<[string, Controller]>, private readonly stepMs: number) {}

  start(): void {
    if (this.timer) return;
    this.schedule(this.stepMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const started = performance.now();
      this.tick();
      if (this.timer) this.schedule(Math.max(this.stepMs, performance.now() - started));
    }, delayMs);
    this.timer.unref();
  }

  tick(): void {
    if (this.running) return;
    this.running = true;
    try {
      for (const [name, controller] of this.controllers) {
        try {
          controller.reconcile();
        } catch (error) {
          // Kept (bounded) for diagnosis: conflicts with concurrent client writes are expected and retried.
          this.errors.push(new Error(`${name}: ${(error as Error).message}`));
          if (this.errors.length > 100) this.errors.shift();
        }
      }
    } finally {
      this.running = false;
    }
  }
}
