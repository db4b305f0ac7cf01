import { KommoAccessTokens, KommoCard, KommoCardRef, KommoCards, KommoCardType } from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { positiveInt } from './kommo-call.wire';
import { asRecord, KommoRawApiClient } from './kommo-raw-api.client';

const PLURAL: Readonly<Record<KommoCardType, string>> = { contact: 'contacts', company: 'companies', lead: 'leads' };
const SEARCH_ORDER: readonly KommoCardType[] = ['contact', 'company', 'lead'];

/**
 * Contacts, companies and leads for the call-result modal (kommo-api.md §3): `GET /api/v4/{entity}?query=` and
 * `GET /api/v4/{entity}/{id}` (204 = none). Built on the api's KommoHttp: interactive traffic of the shared limiter.
 */
export class KommoCardsAdapter implements KommoCards {
  private readonly api: KommoRawApiClient;

  constructor(http: KommoHttp, tokens: KommoAccessTokens) {
    this.api = new KommoRawApiClient(http, tokens);
  }

  async search(accountId: number, query: string, limit: number): Promise<readonly KommoCard[]> {
    const perType = Math.min(250, Math.max(1, limit));
    const lists = await Promise.all(
      SEARCH_ORDER.map(async (type) => {
        const path = `/api/v4/${PLURAL[type]}?query=${encodeURIComponent(query)}&limit=${perType}`;
        const response = await this.api.read(accountId, { method: 'GET', path });
        if (response.status === 204) return [];
        const items = asRecord(asRecord(response.body)?._embedded)?.[PLURAL[type]];
        return (Array.isArray(items) ? items : []).map((item) => cardOf(type, item)).filter((card): card is KommoCard => card !== null);
      }),
    );
    return lists.flat().slice(0, limit);
  }

  async find(accountId: number, ref: KommoCardRef): Promise<KommoCard | null> {
    const response = await this.api.read(accountId, { method: 'GET', path: `/api/v4/${PLURAL[ref.type]}/${ref.id}` });
    if (response.status === 204) return null;
    return cardOf(ref.type, response.body);
  }
}

function cardOf(type: KommoCardType, raw: unknown): KommoCard | null {
  const item = asRecord(raw);
  const id = positiveInt(item?.id);
  if (!item || id === null || item.is_deleted === true) return null;
  const name = typeof item.name === 'string' ? item.name.trim() : '';
  return { type, id, name };
}
