import { MigrationInterface, QueryRunner } from "typeorm";

export class CallWebhookInbox1795544326185 implements MigrationInterface {
    name = 'CallWebhookInbox1795544326185'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "call_webhook_inbox" ("id" BIGSERIAL NOT NULL, "account_id" bigint NOT NULL, "connection_id" character varying(64) NOT NULL, "provider" character varying(32) NOT NULL, "kind" character varying(64) NOT NULL, "dedupe_key" character varying(255) NOT NULL, "payload" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "enqueued_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_04833c96c13041715b134fa61b9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "call_webhook_inbox_not_enqueued" ON "call_webhook_inbox"  ("received_at") WHERE enqueued_at IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_5b83f1a61dbf4355729b07be4a" ON "call_webhook_inbox"  ("connection_id", "dedupe_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_5b83f1a61dbf4355729b07be4a"`);
        await queryRunner.query(`DROP INDEX "public"."call_webhook_inbox_not_enqueued"`);
        await queryRunner.query(`DROP TABLE "call_webhook_inbox"`);
    }

}
