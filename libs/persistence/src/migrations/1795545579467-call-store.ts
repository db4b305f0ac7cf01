import { MigrationInterface, QueryRunner } from "typeorm";

export class CallStore1795545579467 implements MigrationInterface {
    name = 'CallStore1795545579467'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "call" ("id" character varying(64) NOT NULL, "account_id" bigint NOT NULL, "provider" character varying(32) NOT NULL, "snapshot" jsonb NOT NULL, "version" integer NOT NULL, "customer_number" character varying(16), "is_answered" boolean NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE, "started_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2098af0169792a34f9cfdd39c47" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "call_answered_by_number" ON "call"  ("account_id", "customer_number") WHERE is_answered`);
        await queryRunner.query(`CREATE TABLE "call_leg" ("account_id" bigint NOT NULL, "provider" character varying(32) NOT NULL, "provider_call_id" character varying(255) NOT NULL, "call_id" character varying(64) NOT NULL, CONSTRAINT "PK_195c8ab7967dcf716cfe0bf2e3b" PRIMARY KEY ("account_id", "provider", "provider_call_id"))`);
        await queryRunner.query(`CREATE INDEX "call_leg_call_id" ON "call_leg"  ("call_id") `);
        await queryRunner.query(`CREATE TABLE "voip_extension" ("account_id" bigint NOT NULL, "extension_key" character varying(255) NOT NULL, "extension" character varying(255) NOT NULL, "user_id" bigint NOT NULL, "connection_id" character varying(64), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1796262bbf18b89b9b85d6a86b8" PRIMARY KEY ("account_id", "extension_key"))`);
        await queryRunner.query(`CREATE TABLE "callback_task" ("account_id" bigint NOT NULL, "kommo_task_id" bigint NOT NULL, "phone" character varying(16) NOT NULL, "missed_call_id" character varying(64) NOT NULL, "missed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_9cc582f9b98fdf7f53219ba0970" PRIMARY KEY ("account_id", "kommo_task_id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "callback_task_one_open_per_phone" ON "callback_task"  ("account_id", "phone") WHERE completed_at IS NULL`);
        await queryRunner.query(`ALTER TABLE "call_leg" ADD CONSTRAINT "FK_c6d10590e8ae60e75eca35a2203" FOREIGN KEY ("call_id") REFERENCES "call"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "call_leg" DROP CONSTRAINT "FK_c6d10590e8ae60e75eca35a2203"`);
        await queryRunner.query(`DROP INDEX "public"."callback_task_one_open_per_phone"`);
        await queryRunner.query(`DROP TABLE "callback_task"`);
        await queryRunner.query(`DROP TABLE "voip_extension"`);
        await queryRunner.query(`DROP INDEX "public"."call_leg_call_id"`);
        await queryRunner.query(`DROP TABLE "call_leg"`);
        await queryRunner.query(`DROP INDEX "public"."call_answered_by_number"`);
        await queryRunner.query(`DROP TABLE "call"`);
    }

}
