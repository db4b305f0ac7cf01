import { InitialSchema1795537489068 } from './1795537489068-initial-schema';

/** Listed explicitly (no globs): the apps are bundled by webpack. Append every new migration. */
export const MIGRATIONS = [InitialSchema1795537489068];
