import { CallHistoryRecord, CallHistorySource, CallHistoryWindow, CallWebhookKind, VoipProvider } from '@app/domain';
import type { VoipConnection } from '@app/domain';
import type { ProviderExtension, ProviderExtensionList } from '../ringcentral/provider-extensions';
import { ZenviaClient } from './zenvia-client';
import { checkZenviaCallPayload, zenviaText } from './zenvia-payload';

type Json = Readonly<Record<string, unknown>>;

/** Paging of the report: `posicao` (offset) and `limite` are UNCONFIRMED names; a short page ends the loop. */
const PAGE_SIZE = 200;
const MAX_PAGES = 100;

/**
 * Zenvia's call report, `GET /chamada/relatorio?data_inicio&data_fim` (voip.md §3): the same call objects the
 * webhooks carry, so an imported call goes through the same mapper. Calls still active are left for later;
 * entries with statuses we do not know are stored raw (ZenviaUnrecognised), like such a webhook.
 */
export class ZenviaCallReportSource implements CallHistorySource {
  readonly provider = VoipProvider.Zenvia;

  constructor(private readonly client: ZenviaClient) {}

  async *listCalls(connection: VoipConnection, window: CallHistoryWindow): AsyncIterable<CallHistoryRecord> {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const data = await this.client.request<{ relatorio?: Json[] }>(connection, 'GET', '/chamada/relatorio', {
        query: { data_inicio: window.since.toISOString(), data_fim: window.until.toISOString(), posicao: page * PAGE_SIZE, limite: PAGE_SIZE },
      });
      const calls = data?.relatorio ?? [];
      for (const call of calls) {
        const check = checkZenviaCallPayload(call);
        if (!check.ok && check.reason === 'malformed') continue;
        const id = zenviaText(call.id) ?? '';
        yield {
          providerCallId: id,
          kind: check.ok ? CallWebhookKind.ZenviaCall : CallWebhookKind.ZenviaUnrecognised,
          dedupeKey: `report:${check.dedupeKey ?? id}`,
          payload: call,
          hasRecording: zenviaText(call.url_gravacao) !== null,
          ended: zenviaText(call.status_geral) === 'finalizada' || call.ativa === false,
        };
      }
      if (calls.length < PAGE_SIZE) return;
    }
  }
}

/**
 * The account's extensions (ramais), `GET /ramal/relatorio`; the identity is the extension number (what call
 * legs of `tipo: ramal` carry in `numero`). The report's field names beyond `ramal`/`login` are UNCONFIRMED.
 */
export class ZenviaExtensionList implements ProviderExtensionList {
  readonly provider = VoipProvider.Zenvia;

  constructor(private readonly client: ZenviaClient) {}

  async listExtensions(connection: VoipConnection): Promise<ProviderExtension[]> {
    const data = await this.client.request<{ relatorio?: Json[] }>(connection, 'GET', '/ramal/relatorio');
    return (data?.relatorio ?? []).flatMap((ramal) => {
      const number = zenviaText(ramal.ramal);
      if (!number) return [];
      const name = zenviaText(ramal.nome) ?? zenviaText(ramal.login);
      return [{ identity: number, name: name ? `${number} · ${name}` : number, kind: ramal.webphone === true ? 'webphone' : 'ramal' }];
    });
  }
}
