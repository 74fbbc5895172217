import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users context: users and refresh tokens (schema users). */
export class Users1764380100000 implements MigrationInterface {
  name = 'Users1764380100000';

  async up(_q: QueryRunner): Promise<void> {
    // filled in by the context's infrastructure work
  }

  async down(_q: QueryRunner): Promise<void> {}
}
