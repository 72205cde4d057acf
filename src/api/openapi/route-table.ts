import { Injectable, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ALLOWS_UNSCOPED } from '../auth/allow-unscoped.decorator.js';
import { IS_PUBLIC } from '../auth/public.decorator.js';
import { joinRoutePath, toOpenApiPath } from './openapi-path.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

/** One route as Nest registered it: the source the document is built from, so it cannot miss one. */
export interface DiscoveredRoute {
  readonly method: HttpMethod;
  /** OpenAPI form: `/compute/v2.1/servers/{id}`. */
  readonly path: string;
  /** Answers without X-Auth-Token (@Public() on the handler or its controller). */
  readonly isPublic: boolean;
  /** Accepts a token that is not scoped to a project (@AllowUnscoped()). */
  readonly allowsUnscoped: boolean;
  /** The status @HttpCode() fixes, if any (a handler may still set another one itself). */
  readonly fixedStatus: number | undefined;
  /** `ServersController.show`: where to look. */
  readonly handler: string;
}

/** The catalogue's key for a route: `GET /compute/v2.1/servers/{id}`. */
export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

const METHODS: Partial<Record<RequestMethod, HttpMethod>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.DELETE]: 'DELETE',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.HEAD]: 'HEAD',
  [RequestMethod.OPTIONS]: 'OPTIONS',
};

function paths(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}

/** Reads every controller's routes from Nest's own metadata (the same the router registers). */
@Injectable()
export class RouteTable {
  private routes: DiscoveredRoute[] | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Every route, sorted by path then method; read once (controllers do not change after start-up). */
  all(): DiscoveredRoute[] {
    this.routes ??= this.discover();
    return this.routes;
  }

  private discover(): DiscoveredRoute[] {
    const found = new Map<string, DiscoveredRoute>();
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller || typeof controller !== 'function') continue;
      const prefixes = paths(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        const handlerPaths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (handlerPaths === undefined) continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const method = METHODS[requestMethod];
        if (!method) throw new Error(`${controller.name}.${name}: RequestMethod ${RequestMethod[requestMethod]} has no OpenAPI operation`);
        const targets = [handler, controller];
        for (const prefix of prefixes) {
          for (const suffix of paths(handlerPaths)) {
            const route: DiscoveredRoute = {
              method,
              path: toOpenApiPath(joinRoutePath(prefix, suffix)),
              isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
              allowsUnscoped: this.reflector.getAllAndOverride<boolean>(ALLOWS_UNSCOPED, targets) === true,
              fixedStatus: Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined,
              handler: `${controller.name}.${name}`,
            };
            found.set(routeKey(route), route);
          }
        }
      }
    }
    return [...found.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}
