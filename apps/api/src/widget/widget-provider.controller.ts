import { BadGatewayException, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Post, UseGuards } from '@nestjs/common';
import { APP_CONFIG, PROVIDER_EXTENSION_LISTS, PROVIDER_STATE_REPOSITORY, RINGCENTRAL_SUBSCRIPTIONS, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import type { AppConfig } from '@app/application';
import { ProviderSubscription, VoipProvider } from '@app/domain';
import type { SettingsActor, VoipConnection, VoipConnectionRepository } from '@app/domain';
import type { TypeOrmVoipProviderStateRepository } from '@app/persistence';
import { voipWebhookUrls } from '@app/voip';
import type { ProviderExtensionList, RingCentralSubscriptions } from '@app/voip';
import { WidgetActor, WidgetAuthGuard } from './widget-auth.guard';

/**
 * Provider-side views for the settings window: the provider's own extension list (to map extensions to
 * managers), and the connection's provider status — RingCentral webhook subscription, last call-history
 * import, Zenvia deliveries kept raw because their status is unknown.
 */
@Controller('widget')
@UseGuards(WidgetAuthGuard)
export class WidgetProviderController {
  constructor(
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    @Inject(PROVIDER_EXTENSION_LISTS) private readonly extensionLists: readonly ProviderExtensionList[],
    @Inject(PROVIDER_STATE_REPOSITORY) private readonly state: TypeOrmVoipProviderStateRepository,
    @Inject(RINGCENTRAL_SUBSCRIPTIONS) private readonly subscriptions: RingCentralSubscriptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `{ provider, items: [{ identity, name, kind }] }`; providers without a directory (Twilio, PBX) list nothing. */
  @Get('extensions/provider')
  async providerExtensions(@WidgetActor() actor: SettingsActor) {
    const connection = await this.connectionOf(actor);
    const list = this.extensionLists.find((candidate) => candidate.provider === connection.provider);
    if (!list) return { provider: connection.provider, items: [] };
    try {
      return { provider: connection.provider, items: await list.listExtensions(connection) };
    } catch (error) {
      throw new BadGatewayException(`${connection.provider} did not list its extensions: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  @Get('voip-connection/provider-status')
  async providerStatus(@WidgetActor() actor: SettingsActor) {
    const connection = await this.connectionOf(actor);
    const state = await this.state.find(connection.id);
    return {
      provider: connection.provider,
      subscription: connection.provider === VoipProvider.RingCentral ? (state?.subscriptionId || state?.error ? subscriptionView(state) : null) : null,
      callHistoryImport: state?.lastRunAt
        ? { lastRunAt: state.lastRunAt, importedUntil: state.importedUntil, lastReport: state.lastReport, lastError: state.lastError, intervalMinutes: this.config.providers.callHistoryImportIntervalMinutes }
        : null,
      unrecognisedDeliveries: connection.provider === VoipProvider.Zenvia ? await this.state.countUnrecognised(connection.id) : 0,
    };
  }

  /** Creates (or checks, renews, re-creates) the RingCentral webhook subscription now — e.g. right after saving. */
  @Post('voip-connection/provider-subscription')
  @HttpCode(200)
  async ensureSubscription(@WidgetActor() actor: SettingsActor) {
    if (!actor.isAdmin) throw new ForbiddenException('Only account administrators can manage the provider subscription');
    const connection = await this.connectionOf(actor);
    if (connection.provider !== VoipProvider.RingCentral) throw new NotFoundException(`${connection.provider} has no webhook subscription to manage`);
    const { webhookUrl } = voipWebhookUrls(VoipProvider.RingCentral, this.config.publicBaseUrl, connection.pathKey);
    return { subscription: subscriptionView(await this.subscriptions.ensure(connection, webhookUrl)) };
  }

  private async connectionOf(actor: SettingsActor): Promise<VoipConnection> {
    const connection = await this.connections.findForAccount(actor.accountId);
    if (!connection) throw new NotFoundException('No VoIP connection is configured for this account');
    return connection;
  }
}

/** What the admin sees (never the verification token). */
function subscriptionView(subscription: ProviderSubscription) {
  return {
    status: subscription.status,
    subscriptionId: subscription.subscriptionId,
    expiresAt: subscription.expiresAt,
    checkedAt: subscription.checkedAt,
    recreatedCount: subscription.recreatedCount,
    error: subscription.error,
  };
}
