import { ContactOwnerLookup, E164, KommoAccessTokens } from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { phoneQueryOf, phonesOfEntity, positiveInt, samePhone } from './kommo-call.wire';
import { asRecord, KommoRawApiClient, readAllPages } from './kommo-raw-api.client';

type Entity = Record<string, unknown>;

/**
 * The Kommo user responsible for the caller (kommo-api.md §3.1): the oldest contact whose phone really is the
 * number (Kommo's `?query=` is a substring search, so "…555-0100" also finds "…212 555 0100"), else that
 * contact's company, else the oldest matching company. Same tie-break as Kommo's attach algorithm (§4.3, §7.1).
 */
export class KommoContactOwnerLookup implements ContactOwnerLookup {
  private readonly api: KommoRawApiClient;

  constructor(http: KommoHttp, tokens: KommoAccessTokens) {
    this.api = new KommoRawApiClient(http, tokens);
  }

  async findResponsibleUserId(accountId: number, phone: E164): Promise<number | null> {
    const query = `query=${encodeURIComponent(phoneQueryOf(phone))}`;
    const contacts = oldestFirst(
      (await readAllPages<Entity>(this.api, accountId, `/api/v4/contacts?${query}`, 'contacts', { maxPages: 4 })).filter((contact) => isNumber(contact, phone)),
    );
    for (const contact of contacts) {
      const owner = positiveInt(contact.responsible_user_id);
      if (owner !== null) return owner;
      const companies = asRecord(contact._embedded)?.companies;
      const companyId = positiveInt(Array.isArray(companies) ? asRecord(companies[0])?.id : undefined);
      if (companyId !== null) {
        const company = await this.api.read(accountId, { method: 'GET', path: `/api/v4/companies/${companyId}` });
        const companyOwner = positiveInt(asRecord(company.body)?.responsible_user_id);
        if (companyOwner !== null) return companyOwner;
      }
    }
    const companies = oldestFirst(
      (await readAllPages<Entity>(this.api, accountId, `/api/v4/companies?${query}`, 'companies', { maxPages: 4 })).filter((company) => isNumber(company, phone)),
    );
    for (const company of companies) {
      const owner = positiveInt(company.responsible_user_id);
      if (owner !== null) return owner;
    }
    return null;
  }
}

function isNumber(entity: Entity, phone: E164): boolean {
  return entity.is_deleted !== true && phonesOfEntity(entity).some((stored) => samePhone(stored, phone));
}

function oldestFirst(entities: Entity[]): Entity[] {
  return [...entities].sort((a, b) => Number(a.created_at ?? 0) - Number(b.created_at ?? 0) || Number(a.id ?? 0) - Number(b.id ?? 0));
}
