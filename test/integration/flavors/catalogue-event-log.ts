import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { DEFAULT_IMAGES } from '../../../src/domain/image/default-images.js';
import { RSA_FINGERPRINT, RSA_PUBLIC_KEY } from '../../unit/keypair/rsa-key.fixture.js';

type Entry = [streamId: string, type: string, data: unknown];

/**
 * A recorded log of the catalogue aggregates (flavor extra specs, key pairs, quotas, images), in the
 * form readEventLog returns (appended after the lifecycle log), for proving their read models rebuild to what incremental folding made.
 */
export function catalogueEventLog(): RecordedEvent[] {
  const keypair = { userId: 'u1', name: 'laptop', type: 'ssh', publicKey: RSA_PUBLIC_KEY, fingerprint: RSA_FINGERPRINT };
  const [fedora, ubuntu] = DEFAULT_IMAGES;
  const entries: Entry[] = [
    ['flavor-2', 'FlavorExtraSpecsSet', { id: '2', extraSpecs: { 'hw:cpu_policy': 'dedicated' } }],
    ['keypair-u1-laptop', 'KeypairImported', keypair],
    ['keypair-u1-desk', 'KeypairImported', { ...keypair, name: 'desk' }],
    ['quota-p1', 'ProjectQuotasSet', { projectId: 'p1', limits: { instances: 5 } }],
    ['keypair-u1-laptop', 'KeypairDeleted', { userId: 'u1', name: 'laptop' }],
    ['quota-p1', 'ProjectQuotasSet', { projectId: 'p1', limits: { cores: 8 } }],
    ['image-' + fedora!.id, 'ImageRegistered', fedora],
    ['quota-p2', 'ProjectQuotasSet', { projectId: 'p2', limits: { ram: 1024 } }],
    ['image-' + ubuntu!.id, 'ImageRegistered', ubuntu],
    ['quota-p2', 'ProjectQuotasReset', { projectId: 'p2' }],
    ['keypair-u1-laptop', 'KeypairImported', { ...keypair, userId: 'u1' }],
    ['image-' + ubuntu!.id, 'ImageDeleted', { id: ubuntu!.id }],
  ];
  // The lifecycle log created flavor 2 (revision 0); this log follows it.
  const revisions = new Map<string, number>([['flavor-2', 1]]);
  return entries.map(([streamId, type, data], i) => {
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    const at = new Date(Date.UTC(2026, 10, 22, 10, 0, i)).toISOString();
    return {
      id: `019d0000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      type,
      schemaVersion: 1,
      data,
      metadata: { requestId: `req-00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, correlationId: 'c', causationId: 'c', actor: { userId: 'admin', projectId: 'admin', roles: ['admin'] } },
      occurredAt: at,
      streamId,
      revision,
      position: 0,
      recordedAt: at,
    };
  });
}
