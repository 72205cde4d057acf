import { UnauthorizedException } from '@nestjs/common';

/** No token, or one that is forged, expired or revoked: 401 in whichever body form the path uses. */
export class AuthenticationRequiredError extends UnauthorizedException {
  constructor() {
    super('The request you have made requires authentication.');
    this.name = 'AuthenticationRequiredError';
  }
}
