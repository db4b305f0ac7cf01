import { Module } from '@nestjs/common';
import { CallPipelineModule, KommoAuthenticationModule, LiveCallModule, VoipTaskModule, VoipUseCaseModule } from '@app/application';
import { CallLoggingProcessor } from './call-logging.processor';
import { CallWebhookInboxRelay } from './call-webhook-inbox.relay';
import { CallWebhookSpoolDrain } from './call-webhook-spool.drain';
import { CallWebhooksProcessor } from './call-webhooks.processor';
import { KommoBlockDetector } from './kommo-block.detector';
import { KommoSyncProcessor } from './kommo-sync.processor';
import { LiveCallProgressPublisher } from './live-call-progress.publisher';

/** The Bull processors. Imported ONLY by the worker app, so the api never consumes jobs. */
@Module({
  imports: [VoipTaskModule, KommoAuthenticationModule, VoipUseCaseModule, CallPipelineModule, LiveCallModule],
  providers: [KommoSyncProcessor, CallWebhookInboxRelay, CallWebhookSpoolDrain, CallWebhooksProcessor, CallLoggingProcessor, KommoBlockDetector, LiveCallProgressPublisher],
})
export class VoipTaskConsumerModule {}
