/** Runs exec commands in a pod's container (the simulator's stand-in for the container runtime). */
export interface ExecBackend {
  run(
    pod: { namespace: string; name: string; labels: Record<string, string> },
    container: string,
    command: string[],
    stdin?: string,
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}
