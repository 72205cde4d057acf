/**
 * Listeners for a simulation's changes. Each change is delivered in order; one listener's throw
 * neither stops the others nor the simulation, as a broken watch client cannot break a server.
 */
export class Watchers<Change> {
  private readonly listeners = new Set<(change: Change) => void>();

  add(listener: (change: Change) => void): { stop(): void } {
    this.listeners.add(listener);
    return { stop: () => void this.listeners.delete(listener) };
  }

  emit(change: Change): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // the listener's own failure is its own to report
      }
    }
  }
}
