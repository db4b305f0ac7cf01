/** One row of the extension map, with what the edge made of it. */
export interface DriftMapEntry {
  readonly extension: string;
  readonly userId: number;
  /** The normalised spelling (E.164, `sip:user@host`, bare client name, digits). */
  readonly canonical: string;
  /** Lower-cased spellings call events may report for it. */
  readonly aliases: readonly string[];
}

export interface DriftUser {
  readonly id: number;
  readonly name: string;
  readonly isActive: boolean;
}

export interface DriftSeenIdentity {
  readonly extension: string;
  readonly lastSeenAt: Date;
  readonly calls: number;
}

export interface ExtensionDrift {
  /** Mapped users who are inactive in Kommo (name null: no longer a user of the account). */
  readonly inactiveUsers: readonly { userId: number; name: string | null; extension: string }[];
  /** One identity under several rows (two users, or two spellings of the same identity). */
  readonly duplicateExtensions: readonly { extension: string; userIds: number[] }[];
  /** Identities calls reported that are mapped to nobody. */
  readonly unmappedSeen: readonly { extension: string; lastSeenAt: string; calls: number }[];
}

/** The drift check of the "assign extensions to managers" map (pure). */
export function findExtensionDrift(input: {
  readonly entries: readonly DriftMapEntry[];
  readonly users: readonly DriftUser[];
  readonly seen: readonly DriftSeenIdentity[];
}): ExtensionDrift {
  const users = new Map(input.users.map((user) => [user.id, user]));
  const inactiveUsers = input.entries
    .filter((entry) => users.get(entry.userId)?.isActive !== true)
    .map((entry) => ({ userId: entry.userId, name: users.get(entry.userId)?.name ?? null, extension: entry.extension }));

  const groups = new Map<string, { extension: string; rows: number; userIds: Set<number> }>();
  for (const entry of input.entries) {
    const key = entry.canonical.toLowerCase();
    const group = groups.get(key) ?? { extension: entry.canonical, rows: 0, userIds: new Set<number>() };
    group.rows += 1;
    group.userIds.add(entry.userId);
    groups.set(key, group);
  }
  const duplicateExtensions = [...groups.values()]
    .filter((group) => group.rows > 1)
    .map((group) => ({ extension: group.extension, userIds: [...group.userIds].sort((a, b) => a - b) }));

  const mapped = new Set(input.entries.flatMap((entry) => entry.aliases));
  const unmappedSeen = input.seen
    .filter((seen) => !mapped.has(seen.extension.trim().toLowerCase()))
    .map((seen) => ({ extension: seen.extension, lastSeenAt: seen.lastSeenAt.toISOString(), calls: seen.calls }));
  return { inactiveUsers, duplicateExtensions, unmappedSeen };
}
