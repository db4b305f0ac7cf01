import { BadRequestException, Body, Controller, Get, Inject, Patch, Put, UseGuards } from '@nestjs/common';
import { APP_CONFIG, KOMMO_ACCOUNT_REPOSITORY, PARKED_TASK_REPOSITORY } from '@app/application';
import type { AppConfig } from '@app/application';
import {
  ConfigureVoipConnectionUseCase,
  GetAccountSettingsUseCase,
  KommoAccountStatus,
  UpdateAccountSettingsUseCase,
  VOIP_CREDENTIALS,
} from '@app/domain';
import type { KommoAccountRepository, ParkedTaskRepository, SettingsActor } from '@app/domain';
import { voipCredentialProblems, voipWebhookUrls } from '@app/voip';
import { ConfigureVoipConnectionDto } from './dto/configure-voip-connection.dto';
import { UpdateAccountSettingsDto } from './dto/update-account-settings.dto';
import { WidgetActor, WidgetAuthGuard } from './widget-auth.guard';

/** Endpoints of the admin settings window in the Kommo widget. Reads: any user; writes: admins only. */
@Controller('widget')
@UseGuards(WidgetAuthGuard)
export class WidgetSettingsController {
  constructor(
    private readonly getSettings: GetAccountSettingsUseCase,
    private readonly updateSettings: UpdateAccountSettingsUseCase,
    private readonly configureConnection: ConfigureVoipConnectionUseCase,
    @Inject(KOMMO_ACCOUNT_REPOSITORY) private readonly accounts: KommoAccountRepository,
    @Inject(PARKED_TASK_REPOSITORY) private readonly parkedTasks: ParkedTaskRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Connection state of the account (needs-reauth is visible here and in `cli accounts:list`). */
  @Get('account')
  async account(@WidgetActor() actor: SettingsActor) {
    const account = await this.accounts.findById(actor.accountId);
    return {
      accountId: actor.accountId,
      subdomain: account?.subdomain ?? null,
      status: account?.status ?? KommoAccountStatus.Disconnected,
      statusReason: account?.statusReason ?? null,
      statusChangedAt: account?.statusChangedAt ?? null,
      tokenExpiresAt: account?.tokens?.expiresAt ?? null,
      parkedTasks: await this.parkedTasks.countForAccount(actor.accountId),
      reauthorizeUrl: `${this.config.publicBaseUrl}/kommo/install`,
      user: { id: actor.userId, isAdmin: actor.isAdmin },
    };
  }

  @Get('settings')
  async settings(@WidgetActor() actor: SettingsActor) {
    const view = await this.getSettings.execute({ actor });
    const { accountId: _accountId, ...settings } = view.settings;
    return {
      settings,
      connection: view.connection && {
        id: view.connection.id,
        provider: view.connection.provider,
        credentials: view.connection.credentials,
        // The path key is the first secret of every webhook: only admins (who paste it into the provider) see it.
        webhookUrls: actor.isAdmin ? voipWebhookUrls(view.connection.provider, this.config.publicBaseUrl, view.connection.pathKey) : null,
        updatedAt: view.connection.updatedAt,
      },
      providers: VOIP_CREDENTIALS,
      canEdit: actor.isAdmin,
    };
  }

  @Patch('settings')
  async update(@WidgetActor() actor: SettingsActor, @Body() dto: UpdateAccountSettingsDto) {
    // The DTO instance has every declared field as an own property: keep only the ones the admin sent.
    const patch = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as UpdateAccountSettingsDto;
    if (Object.keys(patch).length === 0) throw new BadRequestException('No settings given');
    const saved = await this.updateSettings.execute({ actor, patch });
    const { accountId: _accountId, ...settings } = saved;
    return { settings };
  }

  /** Choose the provider and enter its credentials (write-only; answered masked, generated secrets once). */
  @Put('voip-connection')
  async connect(@WidgetActor() actor: SettingsActor, @Body() dto: ConfigureVoipConnectionDto) {
    const credentials = dto.credentials ?? {};
    const problems = voipCredentialProblems(dto.provider, credentials);
    if (problems.length > 0) throw new BadRequestException(problems);
    const result = await this.configureConnection.execute({
      actor,
      provider: dto.provider,
      credentials: credentials as Record<string, string>,
      rotateKeys: dto.rotateKeys ?? false,
    });
    const view = await this.getSettings.execute({ actor });
    return {
      connection: {
        id: result.connectionId,
        provider: result.provider,
        credentials: view.connection?.credentials ?? {},
        webhookUrls: voipWebhookUrls(result.provider, this.config.publicBaseUrl, result.pathKey),
      },
      generatedSecrets: result.generatedSecrets,
    };
  }
}
