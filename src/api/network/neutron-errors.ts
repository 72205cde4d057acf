import { BadRequestException, ConflictException, ForbiddenException } from '@nestjs/common';

/** An HTTP refusal of the network API that names its Neutron exception (the error filter writes it as the body's type). */
export interface NeutronTyped {
  readonly neutronType: string;
}

/** Neutron's InvalidInput / HTTPBadRequest: a malformed body or query. */
export class NeutronBadRequest extends BadRequestException implements NeutronTyped {
  constructor(message: string, readonly neutronType: string = 'HTTPBadRequest') {
    super(message);
  }
}

export class NeutronConflict extends ConflictException implements NeutronTyped {
  constructor(message: string, readonly neutronType: string) {
    super(message);
  }
}

/** Neutron's policy refusal: "rule:create_network is disallowed by policy". */
export class NeutronPolicyRefused extends ForbiddenException implements NeutronTyped {
  readonly neutronType = 'PolicyNotAuthorized';
  constructor(readonly rule: string) {
    super(`rule:${rule} is disallowed by policy`);
  }
}

/**
 * Neutron's ownership check on port create (OwnershipValidationHook in neutron/pecan_wsgi/hooks): a
 * port goes on another project's network only when it is shared. A bare webob 403, hence its type.
 */
export class NeutronNetworkNotOwned extends ForbiddenException implements NeutronTyped {
  readonly neutronType = 'HTTPForbidden';
  constructor(readonly projectId: string) {
    super(`Tenant ${projectId} not allowed to create port on this network`);
  }
}

export const neutronTypeOf = (error: unknown): string | undefined =>
  error !== null && typeof error === 'object' && 'neutronType' in error ? String((error as NeutronTyped).neutronType) : undefined;
