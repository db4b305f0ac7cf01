import { MigrationInterface, QueryRunner } from "typeorm";

export class AccountCountry1795561587088 implements MigrationInterface {
    name = 'AccountCountry1795561587088'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "kommo_account" ADD "country" character varying(2)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "kommo_account" DROP COLUMN "country"`);
    }

}
