import { Module } from '@nestjs/common';
import {
  AccountSettingsRepository,
  Clock,
  ConfigureVoipConnectionUseCase,
  GetAccountSettingsUseCase,
  KommoUserRepository,
  SecureRandom,
  UpdateAccountSettingsUseCase,
  VoipConnectionRepository,
} from '@app/domain';
import {
  ACCOUNT_SETTINGS_REPOSITORY,
  CLOCK,
  KOMMO_USER_REPOSITORY,
  SECURE_RANDOM,
  VOIP_CONNECTION_REPOSITORY,
} from '../../di-tokens';

/** Spec node Voip/UseCase: domain use cases built from ports. */
@Module({
  providers: [
    {
      provide: GetAccountSettingsUseCase,
      useFactory: (settings: AccountSettingsRepository, connections: VoipConnectionRepository) =>
        new GetAccountSettingsUseCase(settings, connections),
      inject: [ACCOUNT_SETTINGS_REPOSITORY, VOIP_CONNECTION_REPOSITORY],
    },
    {
      provide: UpdateAccountSettingsUseCase,
      useFactory: (settings: AccountSettingsRepository, users: KommoUserRepository, clock: Clock) =>
        new UpdateAccountSettingsUseCase(settings, users, clock),
      inject: [ACCOUNT_SETTINGS_REPOSITORY, KOMMO_USER_REPOSITORY, CLOCK],
    },
    {
      provide: ConfigureVoipConnectionUseCase,
      useFactory: (connections: VoipConnectionRepository, random: SecureRandom, clock: Clock) =>
        new ConfigureVoipConnectionUseCase(connections, random, clock),
      inject: [VOIP_CONNECTION_REPOSITORY, SECURE_RANDOM, CLOCK],
    },
  ],
  exports: [GetAccountSettingsUseCase, UpdateAccountSettingsUseCase, ConfigureVoipConnectionUseCase],
})
export class VoipUseCaseModule {}
