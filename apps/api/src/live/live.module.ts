import { Module } from '@nestjs/common';
import { KommoAuthenticationModule, LiveCallModule } from '@app/application';
import { WidgetAuthGuard } from '../widget/widget-auth.guard';
import { LiveChannelController } from './live-channel.controller';
import { LiveHub } from './live-hub';

/** The widget's live channel (caller ID popups): tickets and the SSE stream. */
@Module({
  imports: [KommoAuthenticationModule, LiveCallModule],
  controllers: [LiveChannelController],
  providers: [LiveHub, WidgetAuthGuard],
})
export class LiveModule {}
