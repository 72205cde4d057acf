import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startClusterSimulator, type RealGuestOptions, type SimulatorNode } from './cluster-simulator.js';

/**
 * Runs the cluster simulator on its own:
 *   node dist/src/cluster-simulator/main.js --nodes node-1:32:131072,node-2:32:131072 --port 6443 \
 *     [--host 127.0.0.1] [--step-ms 20] [--state-file sim.json] [--kubeconfig ./sim.kubeconfig]
 * Environment instead of flags: SIM_NODES, SIM_PORT, SIM_HOST, SIM_STEP_MS, SIM_STATE_FILE, SIM_KUBECONFIG.
 * A real guest (README "Real guest"): SIM_REAL_GUEST_URI, SIM_REAL_GUEST_NODE, SIM_REAL_GUEST_KERNEL,
 * SIM_REAL_GUEST_INITRD, SIM_REAL_GUEST_SERIAL_DIR.
 * Prints the URL; writes a kubeconfig for it when asked.
 */
function parseNodes(text: string): SimulatorNode[] {
  return text.split(',').filter(Boolean).map((entry) => {
    const [name, cpu, memoryMiB] = entry.split(':');
    const node = { name: name ?? '', cpu: Number(cpu), memoryMiB: Number(memoryMiB) };
    if (!node.name || !Number.isInteger(node.cpu) || node.cpu <= 0 || !Number.isInteger(node.memoryMiB) || node.memoryMiB <= 0) {
      throw new Error(`bad node "${entry}": expected name:cpus:memoryMiB`);
    }
    return node;
  });
}

function realGuestFromEnv(env: NodeJS.ProcessEnv): RealGuestOptions {
  const need = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(`${key} is required when SIM_REAL_GUEST_URI is set`);
    return value;
  };
  return {
    uri: need('SIM_REAL_GUEST_URI'), node: need('SIM_REAL_GUEST_NODE'), kernel: need('SIM_REAL_GUEST_KERNEL'),
    initrd: need('SIM_REAL_GUEST_INITRD'), serialDir: need('SIM_REAL_GUEST_SERIAL_DIR'),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'step-ms': { type: 'string' },
      'state-file': { type: 'string' }, kubeconfig: { type: 'string' },
    },
  });
  const env = process.env;
  const simulator = await startClusterSimulator({
    nodes: parseNodes(values.nodes ?? env.SIM_NODES ?? 'node-1:32:131072,node-2:32:131072'),
    port: Number(values.port ?? env.SIM_PORT ?? 0),
    host: values.host ?? env.SIM_HOST ?? '127.0.0.1',
    stepMs: Number(values['step-ms'] ?? env.SIM_STEP_MS ?? 20),
    ...((values['state-file'] ?? env.SIM_STATE_FILE) ? { stateFile: values['state-file'] ?? env.SIM_STATE_FILE! } : {}),
    ...(env.SIM_REAL_GUEST_URI ? { realGuest: realGuestFromEnv(env) } : {}),
  });
  const kubeconfigPath = values.kubeconfig ?? env.SIM_KUBECONFIG;
  if (kubeconfigPath) writeFileSync(kubeconfigPath, simulator.kubeconfig(), { mode: 0o600 });
  process.stdout.write(`${simulator.url}\n`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`cluster simulator: ${error.message}\n`);
  process.exit(1);
});
