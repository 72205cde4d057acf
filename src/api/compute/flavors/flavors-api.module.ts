import { Module } from '@nestjs/common';
import { HandlersModule } from '../../../handlers/handlers.module.js';
import { ProjectionsModule } from '../../../projections/projections.module.js';
import { CommandWriter } from '../../shared/command-writer.js';
import { FlavorsController } from './flavors.controller.js';

/** Flavors and the writer the other catalogue APIs share. */
@Module({
  imports: [HandlersModule, ProjectionsModule],
  controllers: [FlavorsController],
  providers: [CommandWriter],
  exports: [CommandWriter, HandlersModule, ProjectionsModule],
})
export class FlavorsApiModule {}
