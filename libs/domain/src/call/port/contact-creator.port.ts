import { E164 } from '../e164';

/** Kommo contacts for callers Kommo does not know yet (unknown-number policy "create a contact"). */
export interface ContactCreator {
  /**
   * The contact whose phone is this number, created (with `responsibleUserId` when given) if there is none.
   * Idempotent: a repeat finds the contact made before instead of creating a second one.
   */
  findOrCreateForNumber(accountId: number, phone: E164, responsibleUserId: number | null): Promise<{ readonly contactId: number; readonly created: boolean }>;
}
