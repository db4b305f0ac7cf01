import { CallHistoryRecord, CallHistorySource, CallHistoryWindow, CallWebhookKind, VoipProvider } from '@app/domain';
import type { VoipConnection } from '@app/domain';
import { RingCentralClient } from './ringcentral-client';

type Json = Readonly<Record<string, unknown>>;

interface CallLogPage {
  readonly records?: Json[];
  readonly navigation?: { readonly nextPage?: { readonly uri?: string } };
}

const PAGE_SIZE = 250;
/** Bound on pages per run (250 × 200 = 50,000 calls); the cursor makes the next run continue. */
const MAX_PAGES = 200;

/**
 * RingCentral's account call log (voip.md §2.4): `GET /restapi/v1.0/account/~/call-log` (needs an admin's JWT),
 * Detailed view, following `navigation.nextPage`. Every record is a finished call; its key includes the
 * recording id, so a recording that shows up later is fed once more (and only once).
 */
export class RingCentralCallLogSource implements CallHistorySource {
  readonly provider = VoipProvider.RingCentral;

  constructor(private readonly client: RingCentralClient) {}

  async *listCalls(connection: VoipConnection, window: CallHistoryWindow): AsyncIterable<CallHistoryRecord> {
    let next: string | null = '/restapi/v1.0/account/~/call-log';
    let query: Record<string, string | number> | undefined = {
      dateFrom: window.since.toISOString(),
      dateTo: window.until.toISOString(),
      view: 'Detailed',
      type: 'Voice',
      perPage: PAGE_SIZE,
    };
    for (let page = 0; next && page < MAX_PAGES; page += 1) {
      const body: CallLogPage = await this.client.request<CallLogPage>(connection, 'GET', next, { query });
      for (const record of body?.records ?? []) {
        const entry = ringCentralHistoryRecord(record);
        if (entry) yield entry;
      }
      next = body?.navigation?.nextPage?.uri ?? null;
      query = undefined; // the next page's uri carries the whole query
    }
  }

  /**
   * The call-log record of one telephony session (the recording lookup after a call ended), or null while the
   * log does not show it yet. The filter name `telephonySessionId` is UNCONFIRMED (voip.md §8.3): the records
   * are also matched here, inside a window around the call.
   */
  async findSession(connection: VoipConnection, telephonySessionId: string, around: Date): Promise<Json | null> {
    const body = await this.client.request<CallLogPage>(connection, 'GET', '/restapi/v1.0/account/~/call-log', {
      query: {
        telephonySessionId,
        dateFrom: new Date(around.getTime() - 24 * 3600 * 1000).toISOString(),
        dateTo: new Date(around.getTime() + 3600 * 1000).toISOString(),
        view: 'Detailed',
        perPage: PAGE_SIZE,
      },
    });
    return (body?.records ?? []).find((record) => record.telephonySessionId === telephonySessionId) ?? null;
  }
}

/** The inbox form of a call-log record (kind RingCentralCallLog); null for records that are not calls of ours. */
export function ringCentralHistoryRecord(record: Json): CallHistoryRecord | null {
  const id = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : null;
  const sessionId = typeof record.telephonySessionId === 'string' ? record.telephonySessionId : typeof record.sessionId === 'string' ? record.sessionId : null;
  if (!id || !sessionId) return null;
  const recording = record.recording && typeof record.recording === 'object' ? (record.recording as Json) : null;
  const recordingId = recording && (typeof recording.id === 'string' || typeof recording.id === 'number') ? String(recording.id) : '-';
  return {
    providerCallId: sessionId,
    kind: CallWebhookKind.RingCentralCallLog,
    dedupeKey: `calllog:${id}:${recordingId}`,
    payload: record,
    hasRecording: typeof recording?.contentUri === 'string',
    ended: true,
  };
}
