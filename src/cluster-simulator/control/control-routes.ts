import { badRequest, pathNotFound } from '../api-errors.js';
import { sendJson, type ApiRequest } from '../http/http-types.js';
import type { EffectMatch } from './effect-log.js';
import type { DelayRule, DropRule, FailRule, Verb } from './fault-rules.js';
import type { HangRelease, HangRule } from './held-requests.js';
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
 *   POST /simulator/v1/faults/fail      {verb, resource, name?, namespace?, count?, status?, reason?, message?, when?}
 *   POST /simulator/v1/faults/delay     {verb, resource, name?, namespace?, count?, delayMs}
 *   POST /simulator/v1/faults/drop      {verb, resource, name?, namespace?, count?}   carried out, reply dropped
 *   POST /simulator/v1/faults/hang      {verb, resource, name?, namespace?, count?} -> {id}
 *   POST /simulator/v1/faults/hang/<id>/release {proceed?, status?, message?}
 *   GET  /simulator/v1/faults           armed faults
 *   GET  /simulator/v1/effects?verb=&resource=&name=&namespace=   client writes carried out; DELETE clears
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
  const release = /^POST \/simulator\/v1\/faults\/hang\/([^/]+)\/release$/.exec(route);
  if (release) {
    if (!control.releaseHang(decodeURIComponent(release[1]!), body<HangRelease>(request))) throw pathNotFound();
    return ok();
  }
  switch (route) {
    case 'POST /simulator/v1/faults/fail': {
      const rule = requireRule(body<FailRule>(request));
      if (rule.when !== undefined && rule.when !== 'before' && rule.when !== 'after') throw badRequest('when is before or after');
      return (control.failNext(rule), ok());
    }
    case 'POST /simulator/v1/faults/delay': {
      const rule = requireRule(body<DelayRule>(request));
      if (typeof rule.delayMs !== 'number') throw badRequest('delayMs is required');
      return (control.delayNext(rule), ok());
    }
    case 'POST /simulator/v1/faults/drop': return (control.dropReplyNext(requireRule(body<DropRule>(request))), ok());
    case 'POST /simulator/v1/faults/hang': return sendJson(request.response, 200, { id: control.hangNext(requireRule(body<HangRule>(request))).id });
    case 'GET /simulator/v1/faults': return sendJson(request.response, 200, control.pendingFaults());
    case 'GET /simulator/v1/effects': return sendJson(request.response, 200, { items: control.effects(effectMatch(request.url.searchParams)) });
    case 'DELETE /simulator/v1/effects': return (control.clearEffects(), ok());
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

function effectMatch(query: URLSearchParams): EffectMatch {
  const match: EffectMatch = {};
  const verb = query.get('verb');
  if (verb) match.verb = verb as Verb;
  for (const key of ['resource', 'name', 'namespace'] as const) {
    const value = query.get(key);
    if (value) match[key] = value;
  }
  return match;
}

function requireRule<T extends { verb?: string; resource?: string }>(rule: T): T {
  if (!rule.verb || !rule.resource) throw badRequest('verb and resource are required');
  return rule;
}
