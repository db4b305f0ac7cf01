import { Module } from '@nestjs/common';
import { VoipUseCaseModule } from '@app/application';
import { GenericPbxWebhookController } from './generic-pbx-webhook.controller';
import { ProcessWebhookHandler } from './process-webhook.handler';
import { TwilioWebhookController } from './twilio-webhook.controller';

/** Spec node Voip/Handle: provider webhooks → verified → inbox → queue. No Kommo call on this path. */
@Module({
  imports: [VoipUseCaseModule],
  controllers: [TwilioWebhookController, GenericPbxWebhookController],
  providers: [ProcessWebhookHandler],
})
export class VoipHandleModule {}
