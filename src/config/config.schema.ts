import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Every setting the service reads, from environment variables; see the README's configuration table. */
export const configSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(8774),
    /** Processes serving the API on PORT (node:cluster); one of them at a time holds the lease (see LEASE_TTL_SECONDS). */
    API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
    /**
     * true: the projections, process managers, observers, sweepers and job workers run in one more
     * process of their own, which serves no HTTP, beside the API_PROCESSES API processes (node:cluster);
     * the API processes then never take the lease and run no job workers.
     */
    BACKGROUND_PROCESS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    /**
     * What this process does. all: serves the API and takes the lease when it is free (one process
     * does everything). api: serves the API only (never takes the lease, runs no job workers).
     * background: takes the lease and runs the job workers, serves no HTTP. For deployments that run
     * API replicas and a background replica as separate processes or pods.
     */
    PROCESS_ROLE: z.enum(['all', 'api', 'background']).default('all'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    EVENT_STORE: z.enum(['sqlite', 'postgres']).default('sqlite'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
      .default('public'),
    /** Readiness fails while any projection is more than this many events behind the store's head. */
    READY_MAX_PROJECTION_LAG: z.coerce.number().int().min(0).default(10_000),
    /** How long a write waits for its projections before answering (read your writes). */
    READ_YOUR_WRITES_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
    PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1_000),

    /** Unset: the embedded default starts a private redis-server under DATA_DIR. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
      .default('virtplane'),
    WORKER_CONCURRENCY_CLUSTER: z.coerce.number().int().min(0).max(1_000).default(32),
    WORKER_CONCURRENCY_HYPERVISOR: z.coerce.number().int().min(0).max(1_000).default(8),
    WORKER_CONCURRENCY_FABRIC: z.coerce.number().int().min(0).max(1_000).default(32),
    /** Attempts per step job (the first run included) before a transient failure fails the step. */
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    JOB_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(200),
    /**
     * A running job's lock lasts this long without renewal: a job whose worker died (SIGKILL) runs
     * again once its lock has expired and the next stalled-job check (JOB_STALLED_INTERVAL_MS) sees it.
     */
    JOB_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
    JOB_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(15_000),
    JOB_BACKOFF_CAP_MS: z.coerce.number().int().min(1).default(30_000),
    /** A task still running after this long fails with a timeout and is compensated. */
    TASK_DEADLINE_SECONDS: z.coerce.number().min(0.1).default(600),
    /** How long one step attempt waits for the cluster to converge before it retries. */
    STEP_CONVERGENCE_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
    STEP_POLL_INTERVAL_MS: z.coerce.number().int().min(1).default(50),
    /**
     * How a running VM gets more (or fewer) vCPUs and memory: 'in-place' resizes the launcher pod
     * (pods/resize) and hot-adds through libvirt; 'live-update' patches the VM template and lets
     * KubeVirt migrate to a bigger pod. A VM that cannot migrate always uses in-place.
     */
    HOT_RESIZE_STRATEGY: z.enum(['in-place', 'live-update']).default('in-place'),
    /**
     * Memory the launcher pod's compute container needs beyond the guest's (virt-launcher, its
     * monitor, virtlogd, virtqemud, QEMU, one IOThread and video: KubeVirt's fixed overhead).
     * Unset: 256 on a real cluster, 0 on the simulator (whose launcher pods ask for the guest's memory alone).
     */
    LAUNCHER_MEMORY_OVERHEAD_MIB: z.coerce.number().int().min(0).optional(),
    /** Per-step deadlines of the live changes: a wait past them fails "deadline exceeded" and is compensated. */
    POD_RESIZE_DEADLINE_SECONDS: z.coerce.number().min(0.01).default(120),
    GUEST_RESIZE_DEADLINE_SECONDS: z.coerce.number().min(0.01).default(120),
    MIGRATION_DEADLINE_SECONDS: z.coerce.number().min(0.01).default(540),
    /** How often pending work is re-derived from the events (covers jobs Redis lost). */
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0.1).default(60),
    /** How often every VM is compared with the cluster (Nova's power-state sync). */
    POWER_SYNC_INTERVAL_SECONDS: z.coerce.number().min(0.1).default(60),
    /** How often addresses and MACs held by no port (a port create that died) are looked for, and how long one must stay so before it is freed. */
    RESERVATION_SWEEP_INTERVAL_SECONDS: z.coerce.number().min(0.1).default(60),
    RESERVATION_SWEEP_GRACE_SECONDS: z.coerce.number().min(0).default(120),
    /**
     * The lease that lets one process at a time run the projections, process managers, observers and
     * sweepers (every process serves the API and runs job workers): how long a grant lasts without
     * renewal (a crashed holder's successor waits this long), and how often it is renewed or tried.
     */
    LEASE_TTL_SECONDS: z.coerce.number().min(0.5).max(3600).default(10),
    LEASE_RENEW_INTERVAL_SECONDS: z.coerce.number().min(0.05).default(3),

    /**
     * Where the cluster is. 'simulator': the KubeVirt cluster simulator started in process, reached
     * through the real Kubernetes adapter over HTTP (the embedded default); 'kubeconfig': a real
     * cluster (KUBECONFIG, ~/.kube/config or the pod's service account).
     */
    CLUSTER_BACKEND: z.enum(['simulator', 'kubeconfig']).default('simulator'),
    /**
     * OVN's northbound database for the NICs' logical switches and ports (unix:PATH, tcp:HOST:PORT or
     * ssl:HOST:PORT); unset: the fabric is simulated in process.
     */
    OVN_NB_URL: z
      .string()
      .regex(/^(unix:\/.+|tcp:[^:]+:\d+|ssl:[^:]+:\d+)$/, 'must be unix:/path, tcp:host:port or ssl:host:port')
      .optional(),
    /** For an ssl: OVN_NB_URL: PEM files of the CA, this client's certificate and its key. */
    OVN_NB_CA_FILE: z.string().min(1).optional(),
    OVN_NB_CERT_FILE: z.string().min(1).optional(),
    OVN_NB_KEY_FILE: z.string().min(1).optional(),
    /** The cluster namespace of a project's namespace (vp-<project>): "{namespace}" exactly once. */
    NAMESPACE_TEMPLATE: z
      .string()
      .regex(/^[a-z0-9-]*\{namespace\}[a-z0-9-]*$/, 'must contain {namespace} once, with lower-case letters, digits and dashes around it')
      .default('{namespace}'),
    /** The simulated cluster's nodes: name:cpus:memoryMiB, comma separated. */
    SIM_NODES: z
      .string()
      .regex(/^[a-z0-9.-]+:\d+:\d+(,[a-z0-9.-]+:\d+:\d+)*$/, 'must be name:cpus:memoryMiB[,name:cpus:memoryMiB...]')
      .default('node-1:32:131072,node-2:32:131072'),
    /** The cluster simulator's controller step (phase transitions, resize, migration ticks), in ms. */
    SIM_STEP_MS: z.coerce.number().int().min(1).default(20),
    /** Controller steps a simulated migration spends copying memory (Running), its progress growing evenly. */
    SIM_MIGRATION_TRANSFER_TICKS: z.coerce.number().int().min(1).default(3),
    /** Keep the simulation's state in DATA_DIR/simulation across restarts (off for benchmarks: it rewrites a file per change). */
    SIM_PERSIST: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    /** Write the embedded cluster simulator's kubeconfig to this file (for kubectl, or a test, to reach it). */
    SIM_KUBECONFIG: z.string().min(1).optional(),
    /**
     * A real guest behind the cluster simulator (README "Real guest"): VMs it places on
     * SIM_REAL_GUEST_NODE boot as QEMU guests under the libvirtd at SIM_REAL_GUEST_URI (from
     * scripts/real-guest/guest.sh start), with its kernel and initramfs, their serial consoles in
     * SIM_REAL_GUEST_SERIAL_DIR. Unset: every VM is the simulator's model.
     */
    SIM_REAL_GUEST_URI: z.string().min(1).optional(),
    SIM_REAL_GUEST_NODE: z.string().min(1).optional(),
    SIM_REAL_GUEST_KERNEL: z.string().min(1).optional(),
    SIM_REAL_GUEST_INITRD: z.string().min(1).optional(),
    SIM_REAL_GUEST_SERIAL_DIR: z.string().min(1).optional(),

    /** Users, projects and role assignments (JSON); unset: the built-in admin/demo layout. */
    IDENTITY_FILE: z.string().min(1).optional(),
    /** Passwords of the built-in `admin` and `demo` users (ignored when IDENTITY_FILE is set). */
    ADMIN_PASSWORD: z.string().min(1).default('admin-secret'),
    DEMO_PASSWORD: z.string().min(1).default('demo-secret'),
    /**
     * HMAC key for tokens (32 characters or more, checked where it is used so a bad one is never
     * echoed in the configuration error); unset: generated once and kept in DATA_DIR/token-secret.
     */
    TOKEN_SECRET: z.string().min(1).optional(),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(31 * 24 * 3600).default(3600),
    /** Base URL clients reach this service at, for the catalog and version links; unset: http://HOST:PORT. */
    PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an http:// or https:// URL')
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.EVENT_STORE === 'postgres' && !c.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when EVENT_STORE=postgres' });
    }
    if (c.LEASE_RENEW_INTERVAL_SECONDS > c.LEASE_TTL_SECONDS / 2) {
      ctx.addIssue({ code: 'custom', path: ['LEASE_RENEW_INTERVAL_SECONDS'], message: 'must be at most half of LEASE_TTL_SECONDS, so one late renewal does not lose the lease' });
    }
    if (c.SIM_REAL_GUEST_URI) {
      for (const key of ['SIM_REAL_GUEST_NODE', 'SIM_REAL_GUEST_KERNEL', 'SIM_REAL_GUEST_INITRD', 'SIM_REAL_GUEST_SERIAL_DIR'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when SIM_REAL_GUEST_URI is set' });
      }
    }
  });

export type AppConfig = z.infer<typeof configSchema>;
