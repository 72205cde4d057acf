/** One API request as the simulator received it, for golden request tests. */
export interface LoggedRequest {
  method: string;
  /** Path with the query string, e.g. /apis/kubevirt.io/v1/namespaces/a/virtualmachines?fieldManager=x */
  path: string;
  contentType: string | null;
  /** The body parsed as JSON when it is JSON, else the text; null without a body. */
  body: unknown;
  /** The status the client was answered with; null while unanswered, for a dropped reply, and for exec upgrades. */
  status: number | null;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private readonly limit = 10000) {}

  /** Logs a request as received; set `status` on the returned entry once it is answered. */
  record(method: string, path: string, contentType: string | undefined, rawBody: string): LoggedRequest {
    let body: unknown = null;
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    const entry: LoggedRequest = { method, path, contentType: contentType ?? null, body, status: null };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    return entry;
  }

  all(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
