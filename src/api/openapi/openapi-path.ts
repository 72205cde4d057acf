/** Joins a controller's and a handler's Nest paths into one absolute path ('' and '/' are the root). */
export function joinRoutePath(controllerPath: string, handlerPath: string): string {
  const parts = [controllerPath, handlerPath].flatMap((p) => p.split('/')).filter((s) => s.length > 0);
  return `/${parts.join('/')}`;
}

/** Nest's (path-to-regexp's) `:id` parameters are OpenAPI's `{id}`. */
export function toOpenApiPath(nestPath: string): string {
  return nestPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** The `{name}` parameters of an OpenAPI path, in order. */
export function pathParameterNames(openApiPath: string): string[] {
  return [...openApiPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}
