import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { APP_CONFIG, READ_MODEL_DB } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { IdentityDirectory } from '../../identity/identity-directory.js';
import { TokenCodec } from '../../identity/token-codec.js';
import { AuthGuard } from './auth.guard.js';
import { loadIdentityDirectory } from './load-identity-directory.js';
import { resolveTokenSecret } from './token-secret.js';
import { TokenRevocations } from './token-revocations.js';
import { TokenService } from './token.service.js';

/** Who may call: the identity directory, tokens, and the global guard that checks them on every route. */
@Module({
  providers: [
    { provide: IdentityDirectory, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadIdentityDirectory(config) },
    {
      provide: TokenService,
      inject: [APP_CONFIG, IdentityDirectory, READ_MODEL_DB],
      useFactory: (config: AppConfig, directory: IdentityDirectory, db: SqlDatabase) =>
        new TokenService(
          new TokenCodec(resolveTokenSecret(config.TOKEN_SECRET, config.DATA_DIR)),
          directory,
          new TokenRevocations(db),
          config.TOKEN_TTL_SECONDS,
        ),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [IdentityDirectory, TokenService],
})
export class AuthModule {}
