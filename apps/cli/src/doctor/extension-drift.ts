/**
 * Drift between the extension → manager map and Kommo's users (as last synced): a mapped user who left
 * Kommo or was deactivated gets no more calls credited; two entries for one extension make the mapping
 * ambiguous. Pure: the doctor feeds it the stored map and the synced users.
 */
export interface ExtensionDriftProblem {
  readonly kind: 'unknown_user' | 'inactive_user' | 'duplicate_extension';
  readonly extension: string;
  readonly userId: number;
  readonly detail: string;
}

export function extensionMapDrift(
  entries: readonly { readonly extension: string; readonly userId: number }[],
  users: readonly { readonly id: number; readonly name: string; readonly isActive: boolean }[],
): ExtensionDriftProblem[] {
  const byId = new Map(users.map((user) => [user.id, user]));
  const problems: ExtensionDriftProblem[] = [];
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const key = lookupKey(entry.extension);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ kind: 'duplicate_extension', extension: entry.extension, userId: entry.userId, detail: `extension "${entry.extension}" is mapped twice (users ${first} and ${entry.userId})` });
    } else {
      seen.set(key, entry.userId);
    }
    const user = byId.get(entry.userId);
    if (!user) {
      problems.push({ kind: 'unknown_user', extension: entry.extension, userId: entry.userId, detail: `extension "${entry.extension}" → user ${entry.userId}, who is not a user of the account (any more)` });
    } else if (!user.isActive) {
      problems.push({ kind: 'inactive_user', extension: entry.extension, userId: entry.userId, detail: `extension "${entry.extension}" → ${user.name} (${user.id}), who is deactivated in Kommo` });
    }
  }
  return problems;
}

/** Same rule as the directory's key: digit extensions exactly, identities case-insensitively. */
function lookupKey(extension: string): string {
  const trimmed = extension.trim();
  return /^[0-9*#+]+$/.test(trimmed) ? trimmed : trimmed.toLowerCase();
}
