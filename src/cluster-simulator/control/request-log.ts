/** One API request as the simulator received it, for golden request tests. */
export interface LoggedRequest {
  method: string;
  /** Path with the query string, e.g. /apis/kubevirt.io/v1/namespaces/a/virtualmachines?fieldManager=x */
  path: string;
  contentType: string | null;
  /** The body parsed as JSON when it is JSON, else the text; null without a body. */
  body: unknown;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private readonly limit = 10000) {}

  record(method: string, path: string, contentType: string | undefined, rawBody: string): void {
    let body: unknown = null;
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    this.entries.push({ method, path, contentType: contentType ?? null, body });
    if (this.entries.length > this.limit) this.entries.shift();
  }

  all(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
