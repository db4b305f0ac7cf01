import { Module } from '@nestjs/common';
import { KommoAuthenticationModule, VoipTaskModule, VoipUseCaseModule } from '@app/application';
import { CallWebhookInboxRelay } from './call-webhook-inbox.relay';
import { KommoSyncProcessor } from './kommo-sync.processor';

/** The Bull processors. Imported ONLY by the worker app, so the api never consumes jobs. */
@Module({
  imports: [VoipTaskModule, KommoAuthenticationModule, VoipUseCaseModule],
  providers: [KommoSyncProcessor, CallWebhookInboxRelay],
})
export class VoipTaskConsumerModule {}
