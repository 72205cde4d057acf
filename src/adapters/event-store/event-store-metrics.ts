/**
 * Hooks the service wires to Prometheus; the adapters stay free of prom-client.
 * Hooks run on the writer's path, so they must be cheap and must not throw.
 */
export interface EventStoreMetrics {
  /** One successful append of new events: how many, and seconds from the call to its durable commit. */
  onAppend?(eventCount: number, seconds: number): void;
  /** One group commit: how many append calls and events it carried, and how long the transaction took. */
  onGroupCommit?(appendCount: number, eventCount: number, seconds: number): void;
}
