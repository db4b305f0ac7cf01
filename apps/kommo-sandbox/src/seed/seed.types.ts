/**
 * A seed: plain JSON a test can POST to `/_sandbox/reset` as `{ seed: {...} }`.
 * Everything but account `id`/`subdomain` and user `id` is optional.
 */
export interface SeedDefinition {
  readonly accounts: readonly SeedAccount[];
}

export interface SeedAccount {
  readonly id: number;
  readonly subdomain: string;
  readonly name?: string;
  readonly country?: string;
  readonly currency?: string;
  readonly paymentRequired?: boolean;
  readonly users: readonly SeedUser[];
  /** Defaults to one main pipeline "Sales" with an incoming-leads stage, two work stages, 142 and 143. */
  readonly pipelines?: readonly SeedPipeline[];
  readonly contacts?: readonly SeedContact[];
  readonly companies?: readonly SeedCompany[];
  readonly leads?: readonly SeedLead[];
}

export interface SeedUser {
  readonly id: number;
  readonly name?: string;
  readonly email?: string;
  readonly isAdmin?: boolean;
  readonly isActive?: boolean;
  readonly phoneExtension?: string;
}

export interface SeedPipeline {
  readonly id: number;
  readonly name: string;
  readonly isMain?: boolean;
  /** Id of the incoming-leads stage (type 1). */
  readonly unsortedStatusId: number;
  /** Work stages in order (142/143 are added automatically). */
  readonly statuses: readonly { readonly id: number; readonly name: string; readonly color?: string }[];
}

/** A phone as a string (enum WORK) or with an explicit enum code (WORK, WORKDD, MOB, FAX, HOME, OTHER). */
export type SeedPhone = string | { readonly value: string; readonly enumCode: string };

export interface SeedContact {
  readonly id: number;
  readonly name: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly phones?: readonly SeedPhone[];
  readonly emails?: readonly string[];
  readonly companyId?: number;
  readonly responsibleUserId?: number;
  /** Unix seconds; the oldest contact wins ties in the call-event lookup. */
  readonly createdAt?: number;
}

export interface SeedCompany {
  readonly id: number;
  readonly name: string;
  readonly phones?: readonly SeedPhone[];
  readonly responsibleUserId?: number;
  readonly createdAt?: number;
}

export interface SeedLead {
  readonly id: number;
  readonly name: string;
  /** A status id, or 142 (won) / 143 (lost). Defaults to the first work stage of the pipeline. */
  readonly statusId?: number;
  readonly pipelineId?: number;
  readonly price?: number;
  readonly contactIds?: readonly number[];
  readonly companyId?: number;
  readonly responsibleUserId?: number;
  readonly createdAt?: number;
}
