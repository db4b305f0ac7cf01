import { CallHistoryRecord, CallHistorySource, CallHistoryWindow, CallWebhookKind, VoipProvider } from '@app/domain';
import type { VoipConnection } from '@app/domain';
import { TWILIO_LIVE_STATUSES } from './twilio-call-log';

type Json = Readonly<Record<string, unknown>>;

export interface TwilioCallLogOptions {
  /** TWILIO_API_BASE_URL: https://api.twilio.com or a local fake. */
  readonly apiBaseUrl: string;
  readonly timeoutMs: number;
}

const PAGE_SIZE = 200;
const MAX_PAGES = 250;

/**
 * Twilio's Calls list, `GET /2010-04-01/Accounts/{sid}/Calls.json?StartTime>=…` (Basic auth with the account SID
 * and auth token), following `next_page_uri`. Parent calls come with their child legs (`ParentCallSid`), so an
 * imported call is one Kommo call exactly like one that came by status callbacks; the known-call check uses the
 * parent's sid. Twilio's list filters by day: calls before `since` are dropped here.
 */
export class TwilioCallLogSource implements CallHistorySource {
  readonly provider = VoipProvider.Twilio;

  constructor(private readonly options: TwilioCallLogOptions) {}

  async *listCalls(connection: VoipConnection, window: CallHistoryWindow): AsyncIterable<CallHistoryRecord> {
    const { accountSid = '', authToken = '' } = connection.credentials;
    const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const day = (date: Date) => date.toISOString().slice(0, 10);
    const query = new URLSearchParams({ 'StartTime>': day(new Date(window.since.getTime() - 24 * 3600 * 1000)), 'StartTime<': day(new Date(window.until.getTime() + 24 * 3600 * 1000)), PageSize: String(PAGE_SIZE) });
    let next: string | null = `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Calls.json?${query.toString()}`;
    for (let page = 0; next && page < MAX_PAGES; page += 1) {
      let response: Response;
      try {
        response = await fetch(`${this.options.apiBaseUrl}${next}`, { headers: { authorization, accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs) });
      } catch (error) {
        throw new Error(`Twilio did not answer the Calls list: ${error instanceof Error ? error.message : String(error)}`);
      }
      const body = (await response.json().catch(() => ({}))) as { calls?: Json[]; next_page_uri?: string | null; message?: string };
      if (!response.ok) throw new Error(`Twilio Calls list → ${response.status}${body.message ? `: ${body.message}` : ''}`);
      for (const call of body.calls ?? []) {
        const sid = typeof call.sid === 'string' ? call.sid : null;
        const started = typeof call.start_time === 'string' ? new Date(call.start_time) : null;
        if (!sid || (started && !Number.isNaN(started.getTime()) && (started < window.since || started >= window.until))) continue;
        const parent = typeof call.parent_call_sid === 'string' && call.parent_call_sid ? call.parent_call_sid : null;
        const status = typeof call.status === 'string' ? call.status : '';
        yield {
          providerCallId: parent ?? sid,
          kind: CallWebhookKind.TwilioCallLog,
          dedupeKey: `calllog:${sid}:${status}`,
          payload: call,
          hasRecording: false,
          ended: !TWILIO_LIVE_STATUSES.includes(status),
        };
      }
      next = body.next_page_uri ?? null;
    }
  }
}
