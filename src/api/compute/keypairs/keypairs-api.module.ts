import { Module } from '@nestjs/common';
import { ExecuteKeypairCommandHandler } from '../../../handlers/keypair/execute-keypair-command.handler.js';
import { FlavorsApiModule } from '../flavors/flavors-api.module.js';
import { KeypairsController } from './keypairs.controller.js';

@Module({
  imports: [FlavorsApiModule],
  controllers: [KeypairsController],
  providers: [ExecuteKeypairCommandHandler],
})
export class KeypairsApiModule {}
