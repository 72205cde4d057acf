/**
 * A container-registry disk image reference as KubeVirt's containerDisk takes it:
 * docker://registry.example.com[:port]/path/name:tag or ...@sha256:<64 hex>.
 */
const REF = /^docker:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/;

export function isRegistryRef(text: string): boolean {
  return text.length <= 1024 && REF.test(text);
}
