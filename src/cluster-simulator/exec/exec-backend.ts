/** The pod an exec runs in: where it is and which VMI's launcher it is (its labels). */
export interface ExecPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** The node the pod is bound to. */
  nodeName?: string;
}

/** Runs exec commands in a pod's container (the simulator's stand-in for the container runtime). */
export interface ExecBackend {
  run(
    pod: ExecPod,
    container: string,
    command: string[],
    stdin?: string,
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}
