import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ExecuteImageCommandHandler } from '../../handlers/image/execute-image-command.handler.js';
import { seedDefaultImages } from '../../handlers/image/seed-default-images.js';
import { IdGenerator } from '../../handlers/shared/clock.js';
import { FlavorsApiModule } from '../compute/flavors/flavors-api.module.js';
import { ImagesController, ImageVersionsController } from './images.controller.js';

/** Glance v2 under /image: version discovery and the image catalogue, seeded with a few containerdisks. */
@Module({
  imports: [FlavorsApiModule],
  controllers: [ImageVersionsController, ImagesController],
  providers: [ExecuteImageCommandHandler],
})
export class ImageApiModule implements OnApplicationBootstrap {
  constructor(
    private readonly bus: CommandBus,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await seedDefaultImages(this.bus, `req-${this.ids.next()}`);
  }
}
