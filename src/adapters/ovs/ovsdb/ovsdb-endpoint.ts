import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/** Where an ovsdb-server listens, in OVS's own notation: unix:PATH, tcp:HOST:PORT, ssl:HOST:PORT. */
export type OvsdbEndpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'ssl'; host: string; port: number };

export function parseOvsdbEndpoint(text: string): OvsdbEndpoint {
  if (text.startsWith('unix:')) return { kind: 'unix', path: text.slice(5) };
  const m = /^(tcp|ssl):(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  if (!m) throw new Error(`"${text}" is not an OVSDB endpoint (unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT)`);
  const host = m[2]!.replace(/^\[|\]$/g, '');
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new Error(`"${text}": port out of range`);
  return { kind: m[1] as 'tcp' | 'ssl', host, port };
}

export function formatOvsdbEndpoint(endpoint: OvsdbEndpoint): string {
  return endpoint.kind === 'unix' ? `unix:${endpoint.path}` : `${endpoint.kind}:${endpoint.host}:${endpoint.port}`;
}

/**
 * Opens the stream; resolves once connected (for ssl: once the TLS handshake is done). `tls` carries
 * the CA, client certificate and key for production ssl: endpoints (OVN's central uses mutual TLS).
 */
export function openOvsdbSocket(endpoint: OvsdbEndpoint, tls: ConnectionOptions = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      endpoint.kind === 'unix'
        ? netConnect(endpoint.path)
        : endpoint.kind === 'tcp'
          ? netConnect(endpoint.port, endpoint.host)
          : tlsConnect({
              ...tls,
              host: endpoint.host,
              port: endpoint.port,
              // SNI carries host names only (RFC 6066); an IP is still checked against the certificate.
              servername: tls.servername ?? (isIP(endpoint.host) ? undefined : endpoint.host),
            });
    const ready = endpoint.kind === 'ssl' ? 'secureConnect' : 'connect';
    const onError = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.once(ready, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
