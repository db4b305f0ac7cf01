import { CallActionError } from '../../click-to-call.errors';
import { KommoCard, KommoCards } from '../../kommo-entities.port';

export const MIN_CARD_QUERY_LENGTH = 2;
export const MAX_CARD_QUERY_LENGTH = 100;
export const MAX_CARD_RESULTS = 20;

/** The call-result modal's "linked entity" search: contacts, companies and leads of the account. */
export class SearchKommoCardsUseCase {
  constructor(private readonly cards: KommoCards) {}

  async execute(command: { readonly accountId: number; readonly query: string }): Promise<readonly KommoCard[]> {
    const query = command.query.trim();
    if (query.length < MIN_CARD_QUERY_LENGTH) {
      throw new CallActionError('invalid_request', `Type at least ${MIN_CARD_QUERY_LENGTH} characters to search`);
    }
    if (query.length > MAX_CARD_QUERY_LENGTH) throw new CallActionError('invalid_request', `The search is longer than ${MAX_CARD_QUERY_LENGTH} characters`);
    return (await this.cards.search(command.accountId, query, MAX_CARD_RESULTS)).slice(0, MAX_CARD_RESULTS);
  }
}
