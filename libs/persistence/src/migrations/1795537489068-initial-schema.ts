import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1795537489068 implements MigrationInterface {
    name = 'InitialSchema1795537489068'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "kommo_account" ("id" bigint NOT NULL, "subdomain" character varying(63) NOT NULL, "host" character varying(255) NOT NULL, "name" character varying(255) NOT NULL, "status" character varying(20) NOT NULL, "access_token_enc" text, "refresh_token_enc" text, "token_expires_at" TIMESTAMP WITH TIME ZONE, "token_version" integer NOT NULL DEFAULT '0', "status_reason" text, "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "connected_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0791faa5a743dd370164db02627" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "account_settings" ("account_id" bigint NOT NULL, "default_responsible_user_id" bigint, "unknown_number_policy" character varying(32) NOT NULL, "missed_call_task_delay_minutes" integer, "recording_enabled" boolean NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE, "updated_by_user_id" bigint, CONSTRAINT "PK_37b8bbe76d3f93380d01fc1bfff" PRIMARY KEY ("account_id"))`);
        await queryRunner.query(`CREATE TABLE "kommo_user" ("account_id" bigint NOT NULL, "user_id" bigint NOT NULL, "name" character varying(255) NOT NULL, "email" character varying(255), "is_admin" boolean NOT NULL, "is_active" boolean NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_043d65d2ca5c0add7077412d501" PRIMARY KEY ("account_id", "user_id"))`);
        await queryRunner.query(`CREATE TABLE "parked_task" ("id" BIGSERIAL NOT NULL, "account_id" bigint NOT NULL, "task_name" character varying(100) NOT NULL, "dedupe_key" character varying(255) NOT NULL, "payload" jsonb NOT NULL, "reason" text NOT NULL, "parked_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_dccaa44a0346755c31ccc9f5558" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_1bd7c5b5fd3a9c4ebef730bcbd" ON "parked_task"  ("account_id", "task_name", "dedupe_key") `);
        await queryRunner.query(`CREATE TABLE "voip_connection" ("id" character varying(64) NOT NULL, "account_id" bigint NOT NULL, "provider" character varying(32) NOT NULL, "path_key_hash" character(64) NOT NULL, "path_key_enc" text NOT NULL, "credentials_enc" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "REL_13f972b07ddd013091c3c78248" UNIQUE ("account_id"), CONSTRAINT "PK_4f35dfc365ecac35ca49d22c57d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_13f972b07ddd013091c3c78248" ON "voip_connection"  ("account_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_5e9d287885a85828d2fe83404a" ON "voip_connection"  ("path_key_hash") `);
        await queryRunner.query(`ALTER TABLE "account_settings" ADD CONSTRAINT "FK_37b8bbe76d3f93380d01fc1bfff" FOREIGN KEY ("account_id") REFERENCES "kommo_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "kommo_user" ADD CONSTRAINT "FK_b7cbf14f4b897edc6be025825c2" FOREIGN KEY ("account_id") REFERENCES "kommo_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "voip_connection" ADD CONSTRAINT "FK_13f972b07ddd013091c3c78248d" FOREIGN KEY ("account_id") REFERENCES "kommo_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "voip_connection" DROP CONSTRAINT "FK_13f972b07ddd013091c3c78248d"`);
        await queryRunner.query(`ALTER TABLE "kommo_user" DROP CONSTRAINT "FK_b7cbf14f4b897edc6be025825c2"`);
        await queryRunner.query(`ALTER TABLE "account_settings" DROP CONSTRAINT "FK_37b8bbe76d3f93380d01fc1bfff"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5e9d287885a85828d2fe83404a"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_13f972b07ddd013091c3c78248"`);
        await queryRunner.query(`DROP TABLE "voip_connection"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1bd7c5b5fd3a9c4ebef730bcbd"`);
        await queryRunner.query(`DROP TABLE "parked_task"`);
        await queryRunner.query(`DROP TABLE "kommo_user"`);
        await queryRunner.query(`DROP TABLE "account_settings"`);
        await queryRunner.query(`DROP TABLE "kommo_account"`);
    }

}
