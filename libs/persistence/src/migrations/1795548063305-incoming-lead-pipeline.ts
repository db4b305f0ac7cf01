import { MigrationInterface, QueryRunner } from "typeorm";

export class IncomingLeadPipeline1795548063305 implements MigrationInterface {
    name = 'IncomingLeadPipeline1795548063305'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "account_settings" ADD "incoming_lead_pipeline_id" bigint`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "account_settings" DROP COLUMN "incoming_lead_pipeline_id"`);
    }

}
