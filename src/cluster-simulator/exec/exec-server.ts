import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, badRequest, notFound } from '../api-errors.js';
import { types } from '../controllers/cluster-context.js';
import type { ResourceService } from '../store/resource-service.js';
import type { ExecBackend, ExecPod } from './exec-backend.js';

/** Subprotocols in the order the server prefers them (client-node 2 offers v5 first). */
const supported = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
const stdinChannel = 0;
const stdoutChannel = 1;
const stderrChannel = 2;
const errorChannel = 3;
const closeChannel = 255;

const frame = (channel: number, data: string | Buffer) => Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')]);

/**
 * pods/exec over WebSocket, as the kubelet's streaming server speaks it: channel 0 stdin,
 * 1 stdout, 2 stderr, 3 the outcome (a metav1.Status with the exit code from v4 on, plain text
 * before), and with v5 channel 255 to close stdin. The command runs on the ExecBackend.
 */
export class ExecServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => supported.find((p) => offered.has(p)) ?? false,
  });

  constructor(private readonly service: ResourceService, private readonly backend: ExecBackend) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, podName: string, url: URL): void {
    const pod = this.service.find(types.pod, namespace, podName);
    if (!pod) throw notFound(types.pod, podName);
    const command = url.searchParams.getAll('command');
    if (command.length === 0) throw badRequest('you must specify at least 1 command');
    const containers = (pod.spec.containers as Array<{ name: string }>).map((c) => c.name);
    let container = url.searchParams.get('container') ?? '';
    if (!container) {
      if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`);
      container = containers[0]!;
    }
    if (!containers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
    if (pod.status?.phase !== 'Running') throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.some((p) => supported.includes(p))) throw new ApiError(400, 'BadRequest', 'unable to upgrade connection: no supported subprotocol');
    const wantsStdin = url.searchParams.get('stdin') === 'true' || url.searchParams.get('stdin') === '1';
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.session(ws, { namespace, name: podName, labels: pod.metadata.labels ?? {}, nodeName: pod.spec.nodeName }, container, command, wantsStdin);
    });
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private session(ws: WebSocket, pod: ExecPod, container: string, command: string[], wantsStdin: boolean): void {
    const protocol = ws.protocol;
    const statusJson = protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io';
    const chunks: Buffer[] = [];
    let started = false;
    const run = () => {
      if (started) return;
      started = true;
      const stdin = wantsStdin ? Buffer.concat(chunks).toString('utf8') : undefined;
      this.backend.run(pod, container, command, stdin).then((result) => {
        if (result.stdout) ws.send(frame(stdoutChannel, result.stdout));
        if (result.stderr) ws.send(frame(stderrChannel, result.stderr));
        ws.send(frame(errorChannel, outcome(result.exitCode, command, statusJson)));
        ws.close(1000);
      }, (error: Error) => {
        ws.send(frame(errorChannel, statusJson
          ? JSON.stringify({ metadata: {}, status: 'Failure', message: error.message, reason: 'InternalError', code: 500 })
          : error.message));
        ws.close(1000);
      });
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buffer = isBinary ? data : Buffer.from(data.toString(), 'utf8');
      if (buffer.length === 0) return;
      const channel = buffer[0];
      if (channel === stdinChannel) {
        chunks.push(buffer.subarray(1));
        // before v5 nothing marks the end of stdin: the first chunk is all of it
        if (protocol !== 'v5.channel.k8s.io') run();
      } else if (channel === closeChannel && buffer[1] === stdinChannel) run();
    });
    if (!wantsStdin) run();
  }
}

function outcome(exitCode: number, command: string[], statusJson: boolean): string {
  if (!statusJson) return exitCode === 0 ? '' : `command terminated with non-zero exit code: exit status ${exitCode}`;
  if (exitCode === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}
