import { MigrationInterface, QueryRunner } from "typeorm";

export class RoutingSettings1795551138553 implements MigrationInterface {
    name = 'RoutingSettings1795551138553'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "smart_forwarding_enabled" boolean NOT NULL DEFAULT true`);
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "default_ring_group" bigint array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "ring_seconds" integer NOT NULL DEFAULT '25'`);
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "kommo_call_notifications" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "open_lead_on_answer" boolean NOT NULL DEFAULT true`);
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "call_result_modal" boolean NOT NULL DEFAULT true`);
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "auto_redial" boolean NOT NULL DEFAULT false`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "auto_redial"`);
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "call_result_modal"`);
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "open_lead_on_answer"`);
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "kommo_call_notifications"`);
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "ring_seconds"`);
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "default_ring_group"`);
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "smart_forwarding_enabled"`);
    }

}
