/** A handler asked for the caller but the route is public: fix the route, the client did nothing wrong. */
export class MissingRequestContextError extends Error {
  readonly code = 'MISSING_REQUEST_CONTEXT';
  constructor() {
    super('No request context: the route is @Public() or the AuthGuard is not installed.');
    this.name = 'MissingRequestContextError';
  }
}
