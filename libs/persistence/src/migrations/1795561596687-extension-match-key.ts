import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The extension map's match keys (voipIdentityMatchKey in libs/voip), so a reported `1001` finds the manager mapped
 * as `sip:1001@pbx.example.com` in one indexed query. Existing rows are backfilled with the same rule in SQL (the
 * stored spellings are already normalised at the edge; percent-encoded SIP users are left as they are until the
 * map is next saved, which recomputes the keys).
 */
export class ExtensionMatchKey1795561596687 implements MigrationInterface {
    name = 'ExtensionMatchKey1795561596687'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "voip_extension" ADD "match_key" character varying(255)`);
        await queryRunner.query(`ALTER TABLE "voip_extension" ADD "match_user" character varying(255)`);
        const sip = `'^(?:[sS][iI][pP][sS]?:)?([^@[:space:];:<>]+)@([A-Za-z0-9.-]+)(?::[0-9]{1,5})?(?:[;?].*)?$'`;
        await queryRunner.query(`UPDATE "voip_extension" SET
            "match_key" = CASE
                WHEN extension ~ '^[0-9]{2,8}$' THEN extension
                WHEN extension ~* '^client:.+' THEN 'client:' || btrim(substr(extension, 8))
                WHEN extension ~ ${sip} THEN 'sip:' || (regexp_match(extension, ${sip}))[1] || '@' || lower((regexp_match(extension, ${sip}))[2])
                WHEN extension ~ '^\\+[1-9][0-9]{6,14}$' THEN extension
                WHEN extension ~ '^[A-Za-z_][A-Za-z0-9_]{0,120}$' THEN 'client:' || extension
                ELSE extension_key END,
            "match_user" = CASE
                WHEN extension ~ '^[0-9]{2,8}$' THEN extension
                WHEN extension !~* '^client:' AND extension ~ ${sip} THEN (regexp_match(extension, ${sip}))[1]
                ELSE NULL END`);
        await queryRunner.query(`ALTER TABLE "voip_extension" ALTER COLUMN "match_key" SET NOT NULL`);
        await queryRunner.query(`CREATE INDEX "voip_extension_match_user_idx" ON "voip_extension"  ("account_id", "match_user") WHERE match_user IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "voip_extension_match_key_idx" ON "voip_extension"  ("account_id", "match_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."voip_extension_match_key_idx"`);
        await queryRunner.query(`DROP INDEX "public"."voip_extension_match_user_idx"`);
        await queryRunner.query(`ALTER TABLE "voip_extension" DROP COLUMN "match_user"`);
        await queryRunner.query(`ALTER TABLE "voip_extension" DROP COLUMN "match_key"`);
    }

}
