import { Module } from '@nestjs/common';
import { CallPipelineModule, KommoAuthenticationModule, LiveCallModule, VoipUseCaseModule } from '@app/application';
import { WidgetAuthGuard } from './widget-auth.guard';
import { WidgetExtensionsController } from './widget-extensions.controller';
import { WidgetSettingsController } from './widget-settings.controller';

/** Widget-facing API (authenticated with Kommo's X-Auth-Token). */
@Module({
  imports: [KommoAuthenticationModule, VoipUseCaseModule, CallPipelineModule, LiveCallModule],
  controllers: [WidgetSettingsController, WidgetExtensionsController],
  providers: [WidgetAuthGuard],
})
export class WidgetModule {}
