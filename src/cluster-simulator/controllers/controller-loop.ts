/** One simulated controller: looks at the current state and takes at most a step per object. */
export interface Controller {
  reconcile(): void;
}

/**
 * Runs every controller in a fixed order once per `stepMs`: the simulated cluster's clock. A
 * controller that throws (a conflict with a client's write, say) simply tries again next tick.
 */
export class ControllerLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  readonly errors: Error[] = [];

  constructor(private readonly controllers: Array<[string, Controller]>, private readonly stepMs: number) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.stepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
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
