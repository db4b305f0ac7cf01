import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { AccountPhoneCountries, KOMMO_ACCOUNT_REPOSITORY } from '@app/application';
import {
  CallActionError,
  kommoCardUrl,
  PlaceClickToCallUseCase,
  PrepareSoftphoneCallUseCase,
  SearchKommoCardsUseCase,
  SubmitCallResultUseCase,
  ViewCallResultUseCase,
} from '@app/domain';
import type { E164, KommoAccountRepository, SettingsActor } from '@app/domain';
import { dialableNumber } from '@app/voip';
import type { Response } from 'express';
import { CallActionErrorFilter } from './call-action-error.filter';
import { PlaceCallDto } from './dto/place-call.dto';
import { SubmitCallResultDto } from './dto/submit-call-result.dto';
import { WidgetActor, WidgetAuthGuard } from './widget-auth.guard';

/**
 * A manager's calls from the widget: click-to-call (softphone or callback), the call-result modal (view,
 * card search, save). Errors are JSON with `message` and a machine `code` (CallActionErrorFilter).
 */
@Controller('widget')
@UseGuards(WidgetAuthGuard)
@UseFilters(CallActionErrorFilter)
export class WidgetCallsController {
  constructor(
    private readonly placeClickToCall: PlaceClickToCallUseCase,
    private readonly prepareSoftphoneCall: PrepareSoftphoneCallUseCase,
    private readonly viewCallResult: ViewCallResultUseCase,
    private readonly searchCards: SearchKommoCardsUseCase,
    private readonly submitCallResult: SubmitCallResultUseCase,
    @Inject(KOMMO_ACCOUNT_REPOSITORY) private readonly accounts: KommoAccountRepository,
    private readonly phoneCountries: AccountPhoneCountries,
  ) {}

  /**
   * Click-to-call. `softphone`: 200 with what the Voice SDK passes to `device.connect({ params })`;
   * `callback`: the provider rings the manager's own device, then the customer → 202 with the provider's call id.
   */
  @Post('calls')
  async place(@WidgetActor() actor: SettingsActor, @Body() dto: PlaceCallDto, @Res({ passthrough: true }) response: Response) {
    const number = dialableNumber(dto.phone, await this.phoneCountries.countryOf(actor.accountId));
    if (!number.ok) throw new CallActionError('invalid_number', number.reason);
    const to: E164 = number.e164;
    if (dto.mode === 'softphone') {
      const plan = await this.prepareSoftphoneCall.execute({ accountId: actor.accountId, userId: actor.userId, customerE164: to, entity: dto.entity ?? null });
      response.status(200);
      return { mode: 'softphone' as const, to: plan.to, params: plan.params };
    }
    const placed = await this.placeClickToCall.execute({ accountId: actor.accountId, userId: actor.userId, customerE164: to });
    response.status(202);
    return { mode: 'callback' as const, providerCallId: placed.providerCallId };
  }

  /** The call-result modal's content (our call id, or a provider's call id such as Twilio's CA…). */
  @Get('calls/:callId')
  async view(@WidgetActor() actor: SettingsActor, @Param('callId') callId: string) {
    const view = await this.viewCallResult.execute({ accountId: actor.accountId, callId });
    return {
      callId: view.callId,
      providerCallId: view.providerCallId,
      direction: view.direction,
      phone: view.phone,
      startedAt: view.startedAt?.toISOString() ?? null,
      durationSeconds: view.durationSeconds,
      callStatus: view.callStatus,
      result: view.result,
      loggedOn: view.loggedOn,
      managerUserId: view.managerUserId,
      logged: view.logged,
    };
  }

  /** Save of the call-result modal: queued (the worker moves/updates the one call note and creates the task). */
  @Post('calls/:callId/result')
  @HttpCode(202)
  async submit(@WidgetActor() actor: SettingsActor, @Param('callId') callId: string, @Body() dto: SubmitCallResultDto) {
    await this.submitCallResult.execute({
      actor,
      callId,
      entity: dto.entity ?? null,
      callStatus: dto.callStatus ?? null,
      result: dto.result ?? null,
      task: dto.task
        ? { typeId: dto.task.typeId, dueAt: new Date(dto.task.dueAt), text: dto.task.text, responsibleUserId: dto.task.responsibleUserId ?? null }
        : null,
      requestId: dto.requestId ?? null,
    });
    return { queued: true };
  }

  /** "Linked entity" search of the modal: contacts, companies and leads (≤ 20). */
  @Get('entities/search')
  async search(@WidgetActor() actor: SettingsActor, @Query('query') query: unknown) {
    const cards = await this.searchCards.execute({ accountId: actor.accountId, query: typeof query === 'string' ? query : '' });
    const host = (await this.accounts.findById(actor.accountId))?.host ?? '';
    return { items: cards.map((card) => ({ type: card.type, id: card.id, name: card.name, url: kommoCardUrl(host, card) })) };
  }
}
