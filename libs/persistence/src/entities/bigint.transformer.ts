import { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint comes back as a string; Kommo ids fit in a JS safe integer. */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
