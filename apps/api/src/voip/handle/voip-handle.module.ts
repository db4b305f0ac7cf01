import { Module } from '@nestjs/common';
import { CallPipelineModule, LiveCallModule, ProviderAdaptersModule, VoipUseCaseModule } from '@app/application';
import { RecordingProxyController } from '../recording/recording-proxy.controller';
import { GenericPbxWebhookController } from './generic-pbx-webhook.controller';
import { ProcessWebhookHandler } from './process-webhook.handler';
import { RingCentralWebhookController } from './ringcentral-webhook.controller';
import { TwilioOutboundController } from './twilio-outbound.controller';
import { TwilioRequestVerifier } from './twilio-request-verifier';
import { TwilioWebhookController } from './twilio-webhook.controller';
import { ZenviaWebhookController } from './zenvia-webhook.controller';

/** Spec node Voip/Handle: provider webhooks → verified → inbox → queue. No Kommo call on this path. */
@Module({
  imports: [VoipUseCaseModule, CallPipelineModule, LiveCallModule, ProviderAdaptersModule],
  controllers: [TwilioWebhookController, GenericPbxWebhookController, RingCentralWebhookController, ZenviaWebhookController, RecordingProxyController, TwilioOutboundController],
  providers: [ProcessWebhookHandler, TwilioRequestVerifier],
})
export class VoipHandleModule {}
