/** What an adapter knows besides the delivery: whose it is and how to read local numbers. */
export interface CallEventContext {
  readonly accountId: number;
  readonly connectionId: string;
  /** ISO 3166 country used for numbers written without a country code. */
  readonly defaultCountry: string;
  readonly receivedAt: Date;
}
