import { ContactCreator, E164, KommoAccessTokens } from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { KommoApiError } from '../kommo.errors';
import { phoneQueryOf, phonesOfEntity, positiveInt, samePhone } from './kommo-call.wire';
import { asRecord, KommoRawApiClient, readAllPages, writeFailure } from './kommo-raw-api.client';

type Entity = Record<string, unknown>;

/**
 * Unknown-number policy "create a contact" (kommo-api.md §3.3): the number's contact is looked up first
 * (Kommo's `?query=` is a substring search: the digits are checked), and only if none exists a contact
 * named after the number is created with it as its PHONE (WORK). The caller holds the number's lock.
 */
export class KommoContactCreator implements ContactCreator {
  private readonly api: KommoRawApiClient;

  constructor(http: KommoHttp, tokens: KommoAccessTokens) {
    this.api = new KommoRawApiClient(http, tokens);
  }

  async findOrCreateForNumber(accountId: number, phone: E164, responsibleUserId: number | null): Promise<{ contactId: number; created: boolean }> {
    const query = `query=${encodeURIComponent(phoneQueryOf(phone))}`;
    const found = (await readAllPages<Entity>(this.api, accountId, `/api/v4/contacts?${query}`, 'contacts', { maxPages: 4 })).find(
      (contact) => contact.is_deleted !== true && phonesOfEntity(contact).some((stored) => samePhone(stored, phone)),
    );
    const foundId = positiveInt(found?.id);
    if (foundId !== null) return { contactId: foundId, created: false };

    const item: Record<string, unknown> = {
      name: phone,
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: phone, enum_code: 'WORK' }] }],
      request_id: '0',
    };
    if (responsibleUserId !== null) item.responsible_user_id = responsibleUserId;
    const response = await this.api.write(accountId, { method: 'POST', path: '/api/v4/contacts', body: [item] });
    if (response.status !== 200) throw writeFailure(response);
    const contacts = asRecord(asRecord(response.body)?._embedded)?.contacts;
    const contactId = positiveInt(Array.isArray(contacts) ? asRecord(contacts[0])?.id : undefined);
    if (contactId === null) throw new KommoApiError(200, 'contact created without an id in the answer', true);
    return { contactId, created: true };
  }
}
