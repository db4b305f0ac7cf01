import { Module } from '@nestjs/common';
import { KommoAuthenticationModule, VoipUseCaseModule } from '@app/application';
import { WidgetAuthGuard } from './widget-auth.guard';
import { WidgetSettingsController } from './widget-settings.controller';

/** Widget-facing API (authenticated with Kommo's X-Auth-Token). */
@Module({
  imports: [KommoAuthenticationModule, VoipUseCaseModule],
  controllers: [WidgetSettingsController],
  providers: [WidgetAuthGuard],
})
export class WidgetModule {}
