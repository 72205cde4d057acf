import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AuthTokensController } from './auth-tokens.controller.js';
import { ProjectsController } from './projects.controller.js';
import { TrailingSlashDiscovery } from './trailing-slash-discovery.js';
import { VersionDiscoveryController } from './version-discovery.controller.js';

/** The Keystone v3 subset under /identity, plus version discovery at the root. */
@Module({
  imports: [AuthModule],
  controllers: [VersionDiscoveryController, AuthTokensController, ProjectsController],
  providers: [TrailingSlashDiscovery],
})
export class IdentityModule {}
