import type { NewEvent } from '../../src/adapters/event-store/event-envelope.js';
import { UuidV7Generator } from '../../src/handlers/shared/uuid-v7-generator.js';

const ids = new UuidV7Generator();

const metadata = {
  requestId: 'req-00000000-0000-7000-8000-000000000000',
  correlationId: 'req-00000000-0000-7000-8000-000000000000',
  causationId: 'req-00000000-0000-7000-8000-000000000000',
  actor: { userId: 'bench-user', projectId: 'bench-project', roles: ['member'] },
};

/** A small event of realistic size for raw append benchmarks. */
export function benchEvent(i: number): NewEvent {
  return {
    id: ids.next(),
    type: 'VMRenamed',
    schemaVersion: 1,
    data: { vmId: `vm-${i}`, name: `bench-${i}`, previousName: `old-${i}` },
    metadata,
    occurredAt: new Date().toISOString(),
  };
}
