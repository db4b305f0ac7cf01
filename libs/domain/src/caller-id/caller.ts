import { E164 } from '../call/e164';

/** A Kommo lead that is still open (not in 142 won / 143 lost). */
export interface ActiveLead {
  readonly id: number;
  readonly name: string;
  readonly responsibleUserId: number | null;
}

/** Who is calling, as Kommo knows them (kommo-api.md §3.1, §7.1). */
export interface CallerMatch {
  /** The contact's (else company's) name. */
  readonly name: string | null;
  readonly entity: { readonly type: 'contact' | 'company'; readonly id: number; readonly name: string };
  /** The entity's only open lead; null when it has none or several (Kommo's caller-id rule). */
  readonly activeLead: ActiveLead | null;
  readonly responsibleUserId: number | null;
}

/**
 * Kommo's contacts (then companies) looked up by phone, the match verified on the E.164 number of the PHONE
 * field (Kommo's `?query=` matches digit suffixes). null: nobody has this number.
 */
export interface CallerDirectory {
  findByPhone(accountId: number, phone: E164): Promise<CallerMatch | null>;
}

/** The responsible manager of a caller: the active lead's, else the contact's (company's). */
export function responsibleManagerOf(match: CallerMatch): number | null {
  return match.activeLead?.responsibleUserId ?? match.responsibleUserId;
}
