import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import { APP_CONFIG } from '@app/application';
import type { AppConfig } from '@app/application';
import type { SettingsActor } from '@app/domain';
import { liveChannelOf, RedisLiveTickets } from '@app/persistence';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { WidgetActor, WidgetAuthGuard } from '../widget/widget-auth.guard';
import { LiveHub } from './live-hub';

const TICKET_TTL_SECONDS = 60;
const HEARTBEAT_MS = 20_000;

/**
 * Caller ID's live channel: the widget asks for a ticket with its X-Auth-Token (EventSource cannot send headers),
 * then opens `GET /widget/live?ticket=…` (Server-Sent Events). Events of the manager's calls reach whichever api
 * process holds the stream (Redis pub/sub).
 */
@Controller('widget/live')
export class LiveChannelController {
  constructor(
    private readonly tickets: RedisLiveTickets,
    private readonly hub: LiveHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A single-use ticket bound to this account and user, valid for 60 s. */
  @Post('ticket')
  @HttpCode(200)
  @UseGuards(WidgetAuthGuard)
  async ticket(@WidgetActor() actor: SettingsActor) {
    const ticket = randomBytes(32).toString('base64url');
    await this.tickets.issue(ticket, { accountId: actor.accountId, userId: actor.userId }, TICKET_TTL_SECONDS);
    return { ticket, expiresInSeconds: TICKET_TTL_SECONDS, url: `${this.config.publicBaseUrl}/widget/live?ticket=${ticket}` };
  }

  /** `event: ready`, then `event: call` per call phase; a comment every 20 s keeps proxies from closing it. */
  @Get()
  async stream(@Query('ticket') ticket: string | undefined, @Req() request: Request, @Res() response: Response): Promise<void> {
    const holder = typeof ticket === 'string' ? await this.tickets.redeem(ticket) : null;
    if (!holder) throw new UnauthorizedException('Invalid, used or expired live ticket: ask POST /widget/live/ticket for a new one');
    response.status(200);
    response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    response.setHeader('cache-control', 'no-cache, no-transform');
    response.setHeader('connection', 'keep-alive');
    response.setHeader('x-accel-buffering', 'no');
    response.flushHeaders();

    const subscription: { stop?: () => Promise<void>; closed: boolean } = { closed: false };
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const close = () => {
      if (subscription.closed) return;
      subscription.closed = true;
      clearInterval(heartbeat);
      void subscription.stop?.();
      response.end();
    };
    request.on('close', close);
    subscription.stop = await this.hub.subscribe(
      liveChannelOf(this.config.queuePrefix, holder.accountId, holder.userId),
      (payload) => response.write(`event: call\ndata: ${payload}\n\n`),
      close,
    );
    // The widget went away while we were subscribing.
    if (subscription.closed) return subscription.stop();
    // Only now: every event published after `ready` reaches this stream.
    response.write(`event: ready\ndata: ${JSON.stringify({ userId: holder.userId, accountId: holder.accountId })}\n\n`);
  }
}
