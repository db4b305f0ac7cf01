import { Injectable, Logger } from '@nestjs/common';
import { PublishCallProgressUseCase } from '@app/domain';

/**
 * After a call event is saved: the live channel's answered/ended events (caller ID popups, call-result modal).
 * Best effort: a failure here is logged and never fails or retries the webhook job (the call is already saved).
 */
@Injectable()
export class LiveCallProgressPublisher {
  private readonly logger = new Logger('LiveCallProgress');

  constructor(private readonly publishCallProgress: PublishCallProgressUseCase) {}

  async afterCallEvent(accountId: number, callId: string): Promise<void> {
    try {
      await this.publishCallProgress.execute({ accountId, callId });
    } catch (error) {
      this.logger.warn(`live events of call ${callId} not published: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
