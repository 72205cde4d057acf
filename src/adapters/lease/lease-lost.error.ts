/** This process no longer holds the lease (it expired and another process took it, or it was never held). */
export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';
  constructor(
    readonly lease: string,
    readonly holder: string,
  ) {
    super(`${holder} does not hold the lease ${lease}`);
    this.name = 'LeaseLostError';
  }
}
