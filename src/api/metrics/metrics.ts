import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus registry and the instruments the adapters report into. */
export class Metrics {
  readonly registry = new Registry();

  readonly appendedEvents = new Counter({
    name: 'virtplane_event_store_appended_events_total',
    help: 'Events appended to the event store.',
    registers: [this.registry],
  });

  readonly appends = new Counter({
    name: 'virtplane_event_store_appends_total',
    help: 'Append calls committed to the event store (one per stream batch).',
    registers: [this.registry],
  });

  readonly appendSeconds = new Histogram({
    name: 'virtplane_event_store_append_duration_seconds',
    help: 'Time from an append call to its durable commit.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'virtplane_projection_lag_events',
    help: 'Events between the store head and each projection checkpoint.',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  readonly stepAttempts = new Histogram({
    name: 'virtplane_saga_step_attempt_duration_seconds',
    help: 'Time one attempt of a saga step spent in its adapter, by step and outcome.',
    labelNames: ['step', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'virtplane_' });
  }

  /** The hooks an event store adapter calls after each commit. */
  readonly eventStoreHooks = {
    onAppend: (eventCount: number, seconds: number): void => {
      this.appends.inc();
      this.appendedEvents.inc(eventCount);
      this.appendSeconds.observe(seconds);
    },
  };
}
