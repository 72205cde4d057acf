import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OpenApiController } from './openapi.controller.js';
import { RouteTable } from './route-table.js';

/** GET /openapi.json and the /docs page, built from the routes Nest registered. */
@Module({
  imports: [DiscoveryModule],
  controllers: [OpenApiController],
  providers: [RouteTable],
  exports: [RouteTable],
})
export class OpenApiModule {}
