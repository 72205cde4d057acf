import { Module } from '@nestjs/common';
import { AvailabilityZonesController } from '../availability-zones/availability-zones.controller.js';
import { FlavorsApiModule } from '../flavors/flavors-api.module.js';
import { HypervisorsController } from './hypervisors.controller.js';

/** The compute hosts as Nova shows them: hypervisors and availability zones, from the cluster's nodes. */
@Module({
  imports: [FlavorsApiModule],
  controllers: [HypervisorsController, AvailabilityZonesController],
})
export class HypervisorsApiModule {}
