import { E164 } from '../e164';

/** Kommo: the responsible user of the contact (else company) that has this number; null if none. */
export interface ContactOwnerLookup {
  findResponsibleUserId(accountId: number, phone: E164): Promise<number | null>;
}
