import { MigrationInterface, QueryRunner } from "typeorm";

export class VoipProviderState1795551411836 implements MigrationInterface {
    name = 'VoipProviderState1795551411836'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "voip_provider_state" ("connection_id" character varying(64) NOT NULL, "account_id" bigint NOT NULL, "provider" character varying(32) NOT NULL, "subscription_id" character varying(128), "subscription_status" character varying(32), "subscription_expires_at" TIMESTAMP WITH TIME ZONE, "subscription_address_hash" character(64), "verification_token_enc" text, "subscription_checked_at" TIMESTAMP WITH TIME ZONE, "subscription_recreated_count" integer NOT NULL DEFAULT '0', "subscription_error" text, "import_until" TIMESTAMP WITH TIME ZONE, "import_last_run_at" TIMESTAMP WITH TIME ZONE, "import_last_report" jsonb, "import_last_error" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d852ce8bf6e6052ff92ca0bde93" PRIMARY KEY ("connection_id"))`);
        await queryRunner.query(`ALTER TABLE "voip_provider_state" ADD CONSTRAINT "FK_d852ce8bf6e6052ff92ca0bde93" FOREIGN KEY ("connection_id") REFERENCES "voip_connection"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "voip_provider_state" DROP CONSTRAINT "FK_d852ce8bf6e6052ff92ca0bde93"`);
        await queryRunner.query(`DROP TABLE "voip_provider_state"`);
    }

}
