import { Module } from '@nestjs/common';
import { KommoAuthenticationModule, VoipTaskModule } from '@app/application';
import { KommoSyncProcessor } from './kommo-sync.processor';

/** The Bull processors. Imported ONLY by the worker app, so the api never consumes jobs. */
@Module({
  imports: [VoipTaskModule, KommoAuthenticationModule],
  providers: [KommoSyncProcessor],
})
export class VoipTaskConsumerModule {}
