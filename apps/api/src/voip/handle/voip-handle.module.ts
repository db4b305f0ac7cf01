import { Module } from '@nestjs/common';
import { CallPipelineModule, LiveCallModule, VoipUseCaseModule } from '@app/application';
import { RecordingProxyController } from '../recording/recording-proxy.controller';
import { GenericPbxWebhookController } from './generic-pbx-webhook.controller';
import { ProcessWebhookHandler } from './process-webhook.handler';
import { TwilioWebhookController } from './twilio-webhook.controller';

/** Spec node Voip/Handle: provider webhooks → verified → inbox → queue. No Kommo call on this path. */
@Module({
  imports: [VoipUseCaseModule, CallPipelineModule, LiveCallModule],
  controllers: [TwilioWebhookController, GenericPbxWebhookController, RecordingProxyController],
  providers: [ProcessWebhookHandler],
})
export class VoipHandleModule {}
