import { Module } from '@nestjs/common';
import { CallPipelineModule, KommoAuthenticationModule, LiveCallModule, ProviderAdaptersModule, VoipUseCaseModule } from '@app/application';
import { WidgetAuthGuard } from './widget-auth.guard';
import { WidgetExtensionsController } from './widget-extensions.controller';
import { WidgetProviderController } from './widget-provider.controller';
import { WidgetSettingsController } from './widget-settings.controller';

/** Widget-facing API (authenticated with Kommo's X-Auth-Token). */
@Module({
  imports: [KommoAuthenticationModule, VoipUseCaseModule, CallPipelineModule, LiveCallModule, ProviderAdaptersModule],
  controllers: [WidgetSettingsController, WidgetExtensionsController, WidgetProviderController],
  providers: [WidgetAuthGuard],
})
export class WidgetModule {}
