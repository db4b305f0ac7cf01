import { DataSource } from 'typeorm';

export interface SeenIdentity {
  /** As the provider reported it (Twilio client name, SIP user, PBX extension). */
  readonly extension: string;
  readonly lastSeenAt: Date;
  /** Calls it took part in within the window. */
  readonly calls: number;
}

/**
 * Agent identities reported in this account's recent call events (each leg's `agentExtension` in the call
 * snapshots), for the extension map's drift check. No table of its own: the calls already hold them.
 */
export class TypeOrmSeenIdentities {
  constructor(private readonly dataSource: DataSource) {}

  async listForAccount(accountId: number, options: { sinceDays: number; limit: number } = { sinceDays: 30, limit: 500 }): Promise<SeenIdentity[]> {
    const rows = await this.dataSource.query<{ extension: string; last_seen_at: Date; calls: number }[]>(
      `SELECT min(leg->>'agentExtension') AS extension, max(c.updated_at) AS last_seen_at, count(DISTINCT c.id)::int AS calls
       FROM "call" c CROSS JOIN LATERAL jsonb_array_elements(c.snapshot->'legs') AS leg
       WHERE c.account_id = $1 AND c.updated_at > now() - make_interval(days => $2::int)
         AND coalesce(leg->>'agentExtension', '') <> ''
       GROUP BY lower(leg->>'agentExtension')
       ORDER BY max(c.updated_at) DESC
       LIMIT $3`,
      [accountId, options.sinceDays, options.limit],
    );
    return rows.map((row) => ({ extension: row.extension, lastSeenAt: new Date(row.last_seen_at), calls: Number(row.calls) }));
  }
}
