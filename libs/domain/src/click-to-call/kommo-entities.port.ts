import { KommoEntityRef } from '../call/kommo-call';

export type KommoCardType = 'contact' | 'company' | 'lead';

export interface KommoCardRef {
  readonly type: KommoCardType;
  readonly id: number;
}

export interface KommoCard extends KommoCardRef {
  readonly name: string;
}

/** Contacts, companies and leads as the call-result modal shows and searches them (interactive Kommo reads). */
export interface KommoCards {
  /** Up to `limit` cards whose fields match `query` (Kommo's `?query=`), contacts first, then companies, then leads. */
  search(accountId: number, query: string, limit: number): Promise<readonly KommoCard[]>;
  /** The card, or null when Kommo does not know it (deleted, another account). */
  find(accountId: number, ref: KommoCardRef): Promise<KommoCard | null>;
}

export function isKommoCardRef(ref: KommoEntityRef): ref is KommoCardRef {
  return ref.type === 'contact' || ref.type === 'company' || ref.type === 'lead';
}
