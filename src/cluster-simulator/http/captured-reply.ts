import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * A write's answer held back from the client, so that the server can record what the write did and
 * then send it, replace it with an error, or drop it (the fault rules that act after a write).
 * It stands in for the ServerResponse of the handlers that answer with sendJson / sendEmpty.
 */
export class CapturedReply {
  status = 0;
  private headers: OutgoingHttpHeaders = {};
  private body: string | Buffer = '';
  ended = false;

  /** What the handlers see as their response: only writeHead and end are used on a non-watch request. */
  asResponse(): ServerResponse {
    const writeHead = (status: number, headers?: OutgoingHttpHeaders) => {
      this.status = status;
      this.headers = headers ?? {};
    };
    const end = (body?: string | Buffer) => {
      this.body = body ?? '';
      this.ended = true;
    };
    return { writeHead, end, headersSent: false } as unknown as ServerResponse;
  }

  succeeded(): boolean {
    return this.ended && this.status >= 200 && this.status < 300;
  }

  /** The answer's JSON body (e.g. the created object), or undefined. */
  json(): unknown {
    try {
      return JSON.parse(this.body.toString());
    } catch {
      return undefined;
    }
  }

  sendTo(response: ServerResponse): void {
    response.writeHead(this.status, this.headers);
    response.end(this.body);
  }
}
