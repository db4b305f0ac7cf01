import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigSection, InfrastructureModule } from '@app/application';
import { ApiObservabilityModule } from './health/api-observability.module';
import { KommoAuthenticationHttpModule } from './kommo-authentication/kommo-authentication-http.module';
import { LiveModule } from './live/live.module';
import { VoipHandleModule } from './voip/handle/voip-handle.module';
import { WidgetModule } from './widget/widget.module';

@Module({})
export class ApiModule {
  /** Configuration the api needs (validated before boot by loadAppConfig). */
  static readonly CONFIG_SECTIONS: readonly ConfigSection[] = ['database', 'redis', 'kommo', 'secrets', 'http'];

  static register(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [InfrastructureModule.forRoot(config), KommoAuthenticationHttpModule, WidgetModule, VoipHandleModule, ApiObservabilityModule, LiveModule],
    };
  }
}
