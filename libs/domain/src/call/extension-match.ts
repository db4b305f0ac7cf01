/** A manager the extension map could credit for a reported identity: by its exact match key, or by SIP user part only. */
export interface ExtensionCandidate {
  readonly userId: number;
  readonly exact: boolean;
}

export type ExtensionMatch =
  | { readonly kind: 'matched'; readonly userId: number; readonly by: 'exact' | 'user_part' }
  | { readonly kind: 'ambiguous'; readonly userIds: readonly number[] }
  | { readonly kind: 'none' };

/**
 * Who gets the credit (pure; the keys were made at the edge): an exact match wins; else the one manager whose
 * SIP user part / extension matches (`1001` ↔ `sip:1001@pbx`, `sip:1001@10.0.0.5` ↔ `sip:1001@pbx`); two managers
 * matching by user part only (or two by the same exact key, a duplicated mapping) → nobody (ambiguous).
 */
export function pickExtensionMatch(candidates: readonly ExtensionCandidate[]): ExtensionMatch {
  const exact = [...new Set(candidates.filter((candidate) => candidate.exact).map((candidate) => candidate.userId))];
  if (exact.length === 1) return { kind: 'matched', userId: exact[0], by: 'exact' };
  if (exact.length > 1) return { kind: 'ambiguous', userIds: exact.sort((a, b) => a - b) }; // a duplicated mapping
  const loose = [...new Set(candidates.map((candidate) => candidate.userId))].sort((a, b) => a - b);
  if (loose.length === 1) return { kind: 'matched', userId: loose[0], by: 'user_part' };
  return loose.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', userIds: loose };
}
