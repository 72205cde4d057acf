import { TransientAdapterError } from '../../adapters/adapter-errors.js';

/**
 * Crash and fault points for the crash-recovery tests, in the manner of etcd's gofail: a test starts
 * the service with VIRTPLANE_FAILPOINTS set to a comma-separated list of points, and the worker acts
 * when it gets there, so states such as "the side effect happened but its result was not recorded"
 * can be produced on purpose. The points:
 *
 * - `before-step:<step>`: the process kills itself (SIGKILL) when a job is about to run <step>,
 *   before the step's side effect.
 * - `after-side-effect:<step>`: SIGKILL right after <step>'s side effect, before its result is
 *   recorded; also after an action inside a step that does several (`hot-add-vcpus` and
 *   `hot-add-memory` in `resize-guest`), before the rest of the step.
 * - `transient:<step>`: every attempt of <step> throws a TransientAdapterError (code
 *   'FailpointTransient') before its side effect, as a flaky backend would; the job is retried with
 *   backoff while attempts remain, then the step is recorded as failed (and compensated).
 *
 * e.g. VIRTPLANE_FAILPOINTS=after-side-effect:create-vm-object. Unset in production: then every check
 * is a Set lookup or two.
 */
const armed = new Set(
  (process.env.VIRTPLANE_FAILPOINTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export function failpoint(name: string): void {
  if (armed.size === 0) return;
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
  const step = name.startsWith('before-step:') ? name.slice('before-step:'.length) : undefined;
  if (step !== undefined && armed.has(`transient:${step}`)) {
    throw new TransientAdapterError('FailpointTransient', `failpoint transient:${step} is armed`);
  }
}
