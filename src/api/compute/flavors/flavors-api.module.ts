import { Module } from '@nestjs/common';
import { HandlersModule } from '../../../handlers/handlers.module.js';
import { ProjectionsModule } from '../../../projections/projections.module.js';
import { CatalogueWriter } from './catalogue-writer.js';
import { FlavorsController } from './flavors.controller.js';

/** Flavors and the writer the other catalogue APIs share. */
@Module({
  imports: [HandlersModule, ProjectionsModule],
  controllers: [FlavorsController],
  providers: [CatalogueWriter],
  exports: [CatalogueWriter, HandlersModule, ProjectionsModule],
})
export class FlavorsApiModule {}
