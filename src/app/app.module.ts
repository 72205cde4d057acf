import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ApiModule } from '../api/api.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { HandlersModule } from '../handlers/handlers.module.js';
import { LeaseModule } from '../handlers/lease/lease.module.js';
import { SagasModule } from '../handlers/sagas/sagas.module.js';
import { InfrastructureModule } from './infrastructure.module.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { StorageModule } from './storage.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            // Health probes and scrapes would drown the log.
            autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
          },
        }),
        StorageModule.forRoot(config),
        InfrastructureModule,
        LeaseModule,
        HandlersModule,
        SagasModule,
        ProjectionsModule,
        ApiModule,
      ],
    };
  }
}
