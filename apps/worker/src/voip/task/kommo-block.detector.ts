import { Injectable, Logger } from '@nestjs/common';
import { ReportKommoBlockUseCase } from '@app/domain';
import { KommoApiClient, KommoApiError } from '@app/kommo';

/** How long a confirmed answer is reused (many jobs of one account fail at once). */
const ANSWER_TTL_MS = 10_000;

/**
 * Kommo's answer to abuse is a 403 on every request of the account. A 403 on one endpoint can also be
 * a missing right, so a 403 is confirmed with a read every user may do (GET /api/v4/account) before the
 * account is reported blocked. One probe per account at a time.
 */
@Injectable()
export class KommoBlockDetector {
  private readonly logger = new Logger('KommoBlock');
  private readonly answers = new Map<number, { at: number; blocked: Promise<boolean> }>();

  constructor(
    private readonly kommo: KommoApiClient,
    private readonly reportBlock: ReportKommoBlockUseCase,
  ) {}

  static isForbidden(error: unknown): boolean {
    return error instanceof Error && (error as { status?: unknown }).status === 403;
  }

  /** True when the account is (now) marked blocked; the caller then parks its task. */
  confirm(accountId: number): Promise<boolean> {
    const known = this.answers.get(accountId);
    if (known && Date.now() - known.at < ANSWER_TTL_MS) return known.blocked;
    const blocked = this.probe(accountId);
    this.answers.set(accountId, { at: Date.now(), blocked });
    return blocked;
  }

  private async probe(accountId: number): Promise<boolean> {
    try {
      await this.kommo.request(accountId, { method: 'GET', path: '/api/v4/account' });
      return false; // the account works: that 403 was about one endpoint
    } catch (error) {
      if (!(error instanceof KommoApiError) || error.status !== 403) return false;
      const { blocked } = await this.reportBlock.execute({ accountId, reason: 'Kommo answers 403 to every request (blocked for exceeding its limits)' });
      if (blocked) this.logger.warn(`account ${accountId} is blocked by Kommo: its work is parked until it is authorised again`);
      return blocked;
    }
  }
}
