import { Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { IssueSoftphoneTokenUseCase } from '@app/domain';
import type { SettingsActor } from '@app/domain';
import { CallActionErrorFilter } from './call-action-error.filter';
import { WidgetActor, WidgetAuthGuard } from './widget-auth.guard';

/** The browser softphone's access token (Twilio Voice SDK). The token is never logged. */
@Controller('widget/softphone')
@UseGuards(WidgetAuthGuard)
@UseFilters(CallActionErrorFilter)
export class WidgetSoftphoneController {
  constructor(private readonly issueToken: IssueSoftphoneTokenUseCase) {}

  @Post('token')
  @HttpCode(200)
  async token(@WidgetActor() actor: SettingsActor) {
    const token = await this.issueToken.execute({ accountId: actor.accountId, userId: actor.userId });
    return { token: token.token, identity: token.identity, expiresAt: token.expiresAt.toISOString(), ttlSeconds: token.ttlSeconds };
  }
}
