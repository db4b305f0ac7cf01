import { Module } from '@nestjs/common';
import {
  AccountSettingsRepository,
  CallRepository,
  CallTaskQueue,
  ClickToCallGateway,
  Clock,
  ExtensionDirectory,
  IssueSoftphoneTokenUseCase,
  KommoAccessTokens,
  KommoAccountRepository,
  KommoCards,
  ManagerDevices,
  PlaceClickToCallUseCase,
  PrepareSoftphoneCallUseCase,
  SearchKommoCardsUseCase,
  SecureRandom,
  SubmitCallResultUseCase,
  ViewCallResultUseCase,
  VoipConnectionRepository,
} from '@app/domain';
import { KommoCardsAdapter, KommoHttp } from '@app/kommo';
import { TypeOrmExtensionDirectory } from '@app/persistence';
import { TwilioClickToCallGateway, TwilioSoftphoneTokenIssuer } from '@app/voip';
import { AppConfig } from '../config/app-config';
import {
  ACCOUNT_SETTINGS_REPOSITORY,
  APP_CONFIG,
  CALL_REPOSITORY,
  CLICK_TO_CALL_GATEWAYS,
  CLOCK,
  EXTENSION_DIRECTORY,
  KOMMO_ACCOUNT_REPOSITORY,
  SECURE_RANDOM,
  TASK_QUEUE,
  VOIP_CONNECTION_REPOSITORY,
} from '../di-tokens';
import { KommoAuthenticationModule } from '../kommo-authentication/kommo-authentication.module';
import { CallPipelineModule } from '../voip/call/call-pipeline.module';
import { PROVIDER_CLICK_TO_CALL_GATEWAYS, ProviderAdaptersModule } from '../voip/providers/provider-adapters.module';
import { VoipTaskModule } from '../voip/task/voip-task.module';
import { AccountPhoneCountries } from '../phone-country/account-phone-countries';
import { ExtensionMapManagerDevices } from './extension-map-manager-devices';

export const MANAGER_DEVICES = Symbol('MANAGER_DEVICES');
const KOMMO_CARDS = Symbol('KOMMO_CARDS');

/**
 * Managers' call actions in the widget: click-to-call (provider gateways), the browser softphone (token,
 * checks), and the call-result modal (view, card search, submit → UpdateFromModal job).
 */
@Module({
  imports: [VoipTaskModule, KommoAuthenticationModule, CallPipelineModule, ProviderAdaptersModule],
  providers: [
    {
      provide: MANAGER_DEVICES,
      useFactory: (directory: TypeOrmExtensionDirectory, phoneCountries: AccountPhoneCountries) => new ExtensionMapManagerDevices(directory, phoneCountries),
      inject: [EXTENSION_DIRECTORY, AccountPhoneCountries],
    },
    {
      // One gateway per provider: Twilio REST Calls, RingCentral RingOut and Zenvia /chamada (ProviderAdaptersModule).
      provide: CLICK_TO_CALL_GATEWAYS,
      useFactory: (config: AppConfig, providerGateways: readonly ClickToCallGateway[]): ClickToCallGateway[] => [
        new TwilioClickToCallGateway(config.publicBaseUrl, { baseUrl: config.twilioApiBaseUrl, timeoutMs: config.twilioApiTimeoutMs }),
        ...providerGateways,
      ],
      inject: [APP_CONFIG, PROVIDER_CLICK_TO_CALL_GATEWAYS],
    },
    { provide: KOMMO_CARDS, useFactory: (http: KommoHttp, tokens: KommoAccessTokens) => new KommoCardsAdapter(http, tokens), inject: [KommoHttp, KommoAccessTokens] },
    {
      provide: PlaceClickToCallUseCase,
      useFactory: (connections: VoipConnectionRepository, devices: ManagerDevices, gateways: ClickToCallGateway[]) =>
        new PlaceClickToCallUseCase(connections, devices, gateways),
      inject: [VOIP_CONNECTION_REPOSITORY, MANAGER_DEVICES, CLICK_TO_CALL_GATEWAYS],
    },
    {
      provide: PrepareSoftphoneCallUseCase,
      useFactory: (connections: VoipConnectionRepository, devices: ManagerDevices) => new PrepareSoftphoneCallUseCase(connections, devices),
      inject: [VOIP_CONNECTION_REPOSITORY, MANAGER_DEVICES],
    },
    {
      provide: IssueSoftphoneTokenUseCase,
      useFactory: (connections: VoipConnectionRepository, devices: ManagerDevices, config: AppConfig) =>
        new IssueSoftphoneTokenUseCase(connections, devices, new TwilioSoftphoneTokenIssuer(), config.softphoneTokenTtlSeconds),
      inject: [VOIP_CONNECTION_REPOSITORY, MANAGER_DEVICES, APP_CONFIG],
    },
    { provide: SearchKommoCardsUseCase, useFactory: (cards: KommoCards) => new SearchKommoCardsUseCase(cards), inject: [KOMMO_CARDS] },
    {
      provide: ViewCallResultUseCase,
      useFactory: (
        calls: CallRepository,
        connections: VoipConnectionRepository,
        cards: KommoCards,
        extensions: ExtensionDirectory,
        settings: AccountSettingsRepository,
        accounts: KommoAccountRepository,
      ) => new ViewCallResultUseCase(calls, connections, cards, extensions, settings, accounts),
      inject: [CALL_REPOSITORY, VOIP_CONNECTION_REPOSITORY, KOMMO_CARDS, EXTENSION_DIRECTORY, ACCOUNT_SETTINGS_REPOSITORY, KOMMO_ACCOUNT_REPOSITORY],
    },
    {
      provide: SubmitCallResultUseCase,
      useFactory: (
        calls: CallRepository,
        connections: VoipConnectionRepository,
        extensions: ExtensionDirectory,
        settings: AccountSettingsRepository,
        queue: CallTaskQueue,
        clock: Clock,
        random: SecureRandom,
      ) => new SubmitCallResultUseCase(calls, connections, extensions, settings, queue, clock, random),
      inject: [CALL_REPOSITORY, VOIP_CONNECTION_REPOSITORY, EXTENSION_DIRECTORY, ACCOUNT_SETTINGS_REPOSITORY, TASK_QUEUE, CLOCK, SECURE_RANDOM],
    },
  ],
  exports: [
    MANAGER_DEVICES,
    PlaceClickToCallUseCase,
    PrepareSoftphoneCallUseCase,
    IssueSoftphoneTokenUseCase,
    SearchKommoCardsUseCase,
    ViewCallResultUseCase,
    SubmitCallResultUseCase,
  ],
})
export class ClickToCallModule {}
