import { Module } from '@nestjs/common';
import { CallPipelineModule, ClickToCallModule, KommoAuthenticationModule, LiveCallModule, ProviderAdaptersModule, VoipUseCaseModule } from '@app/application';
import { WidgetAuthGuard } from './widget-auth.guard';
import { WidgetCallsController } from './widget-calls.controller';
import { WidgetExtensionsController } from './widget-extensions.controller';
import { WidgetProviderController } from './widget-provider.controller';
import { WidgetSettingsController } from './widget-settings.controller';
import { WidgetSoftphoneController } from './widget-softphone.controller';

/** Widget-facing API (authenticated with Kommo's X-Auth-Token). */
@Module({
  imports: [KommoAuthenticationModule, VoipUseCaseModule, CallPipelineModule, LiveCallModule, ClickToCallModule, ProviderAdaptersModule],
  controllers: [WidgetSettingsController, WidgetExtensionsController, WidgetCallsController, WidgetSoftphoneController, WidgetProviderController],
  providers: [WidgetAuthGuard],
})
export class WidgetModule {}
