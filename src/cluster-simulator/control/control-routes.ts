import { badRequest, pathNotFound } from '../api-errors.js';
import { sendJson, type ApiRequest } from '../http/http-types.js';
import type { DelayRule, FailRule } from './fault-rules.js';
import type { SimulatorControl } from './simulator-control.js';

function body<T>(request: ApiRequest): T {
  try {
    return (request.body.trim() ? JSON.parse(request.body) : {}) as T;
  } catch {
    throw badRequest('control API bodies are JSON');
  }
}

/**
 * HTTP form of SimulatorControl:
 *   POST /simulator/v1/faults/fail      {verb, resource, name?, namespace?, count?, status?, reason?, message?}
 *   POST /simulator/v1/faults/delay     {verb, resource, name?, namespace?, count?, delayMs}
 *   GET  /simulator/v1/faults           armed faults
 *   POST /simulator/v1/watches/drop     -> {dropped}
 *   POST /simulator/v1/unreachable      {durationMs}
 *   POST /simulator/v1/migrations/fail-next {count?, reason?}
 *   PUT  /simulator/v1/watch-history    {size}
 *   GET  /simulator/v1/requests         the request log; DELETE clears it
 *   POST /simulator/v1/reset
 */
export function handleControl(request: ApiRequest, control: SimulatorControl): void {
  const route = `${request.method} ${request.url.pathname.replace(/\/+$/, '')}`;
  const ok = () => sendJson(request.response, 200, { ok: true });
  switch (route) {
    case 'POST /simulator/v1/faults/fail': return (control.failNext(requireRule(body<FailRule>(request))), ok());
    case 'POST /simulator/v1/faults/delay': {
      const rule = requireRule(body<DelayRule>(request));
      if (typeof rule.delayMs !== 'number') throw badRequest('delayMs is required');
      return (control.delayNext(rule), ok());
    }
    case 'GET /simulator/v1/faults': return sendJson(request.response, 200, control.pendingFaults());
    case 'POST /simulator/v1/watches/drop': return sendJson(request.response, 200, { dropped: control.dropWatches() });
    case 'POST /simulator/v1/unreachable': {
      const { durationMs } = body<{ durationMs?: number }>(request);
      if (typeof durationMs !== 'number') throw badRequest('durationMs is required');
      // answer first: the cut starts once this response is on its way
      sendJson(request.response, 200, { ok: true });
      setImmediate(() => control.makeUnreachable(durationMs));
      return;
    }
    case 'POST /simulator/v1/migrations/fail-next': return (control.failNextMigration(body(request)), ok());
    case 'PUT /simulator/v1/watch-history': {
      const { size } = body<{ size?: number }>(request);
      if (typeof size !== 'number' || size < 0) throw badRequest('size is required');
      return (control.setWatchHistorySize(size), ok());
    }
    case 'GET /simulator/v1/requests': return sendJson(request.response, 200, { items: control.requests() });
    case 'DELETE /simulator/v1/requests': return (control.clearRequests(), ok());
    case 'POST /simulator/v1/reset': return (control.reset(), ok());
    default: throw pathNotFound();
  }
}

function requireRule<T extends { verb?: string; resource?: string }>(rule: T): T {
  if (!rule.verb || !rule.resource) throw badRequest('verb and resource are required');
  return rule;
}
