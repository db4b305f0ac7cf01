import { ActiveLead, CallerDirectory, CallerMatch, E164, KommoAccessTokens } from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { phoneQueryOf, phonesOfEntity, positiveInt, samePhone } from '../calls/kommo-call.wire';
import { asRecord, KommoRawApiClient } from '../calls/kommo-raw-api.client';

type Entity = Record<string, unknown>;

/** Kommo's closed statuses, the same in every pipeline (kommo-api.md §3.5). */
const WON = 142;
const LOST = 143;

export interface KommoCallerDirectoryOptions {
  /** Whether a stored PHONE value is the caller's E.164 number (the voip lib's parser); default: last 10 digits. */
  readonly isNumber?: (stored: string, phone: E164) => boolean;
}

/**
 * Caller ID from Kommo (kommo-api.md §3.1, §7.1): `GET /api/v4/contacts?query=…&with=leads`, each hit verified on its
 * PHONE field (`?query=` is a digit-suffix search), the oldest matching contact wins; else the same over companies.
 * The entity's open leads (not 142/143, not deleted) are read in one `GET /api/v4/leads?filter[id][]=…`; exactly one
 * is "the active lead". Runs with the calling process's Kommo traffic class (the api's is interactive).
 */
export class KommoCallerDirectory implements CallerDirectory {
  private readonly api: KommoRawApiClient;
  private readonly isNumber: (stored: string, phone: E164) => boolean;

  constructor(http: KommoHttp, tokens: KommoAccessTokens, options: KommoCallerDirectoryOptions = {}) {
    this.api = new KommoRawApiClient(http, tokens);
    this.isNumber = options.isNumber ?? samePhone;
  }

  async findByPhone(accountId: number, phone: E164): Promise<CallerMatch | null> {
    for (const type of ['contact', 'company'] as const) {
      const plural = type === 'contact' ? 'contacts' : 'companies';
      const response = await this.api.read(accountId, {
        method: 'GET',
        path: `/api/v4/${plural}?query=${encodeURIComponent(phoneQueryOf(phone))}&with=leads&limit=50`,
      });
      const items = asRecord(asRecord(response.body)?._embedded)?.[plural];
      const entity = oldestFirst((Array.isArray(items) ? items : []).map(asRecord).filter((item): item is Entity => item !== null)).find(
        (item) => item.is_deleted !== true && phonesOfEntity(item).some((stored) => this.isNumber(stored, phone)),
      );
      if (!entity) continue;
      const id = positiveInt(entity.id);
      if (id === null) continue;
      const name = typeof entity.name === 'string' && entity.name.trim() ? entity.name.trim() : null;
      return {
        name,
        entity: { type, id, name: name ?? '' },
        activeLead: await this.activeLeadOf(accountId, entity),
        responsibleUserId: positiveInt(entity.responsible_user_id),
      };
    }
    return null;
  }

  private async activeLeadOf(accountId: number, entity: Entity): Promise<ActiveLead | null> {
    const linked = asRecord(entity._embedded)?.leads;
    const ids = (Array.isArray(linked) ? linked : []).map((lead) => positiveInt(asRecord(lead)?.id)).filter((id): id is number => id !== null);
    if (ids.length === 0) return null;
    const filter = ids.slice(0, 50).map((id) => `filter[id][]=${id}`).join('&');
    const response = await this.api.read(accountId, { method: 'GET', path: `/api/v4/leads?${filter}&limit=50` });
    const items = asRecord(asRecord(response.body)?._embedded)?.leads;
    const open = (Array.isArray(items) ? items : [])
      .map(asRecord)
      .filter((lead): lead is Entity => lead !== null && lead.is_deleted !== true && lead.status_id !== WON && lead.status_id !== LOST);
    if (open.length !== 1) return null;
    const lead = open[0];
    const id = positiveInt(lead.id);
    if (id === null) return null;
    return { id, name: typeof lead.name === 'string' ? lead.name : `#${id}`, responsibleUserId: positiveInt(lead.responsible_user_id) };
  }
}

function oldestFirst(entities: Entity[]): Entity[] {
  return [...entities].sort((a, b) => Number(a.created_at ?? 0) - Number(b.created_at ?? 0) || Number(a.id ?? 0) - Number(b.id ?? 0));
}
