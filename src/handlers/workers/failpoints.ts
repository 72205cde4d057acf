/**
 * Crash points for the crash-recovery tests, in the manner of etcd's gofail: a test starts the service
 * with VIRTPLANE_FAILPOINTS=after-side-effect:create-vm-object and the process kills itself with
 * SIGKILL when it gets there, so "the side effect happened but its result was not recorded" is a
 * state a test can produce on purpose. Unset in production: then every check is one Set lookup.
 */
const armed = new Set(
  (process.env.VIRTPLANE_FAILPOINTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export function failpoint(name: string): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
