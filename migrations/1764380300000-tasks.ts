import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tasks context: tasks, comments, watchers (schema tasks). */
export class Tasks1764380300000 implements MigrationInterface {
  name = 'Tasks1764380300000';

  async up(_q: QueryRunner): Promise<void> {
    // filled in by the context's infrastructure work
  }

  async down(_q: QueryRunner): Promise<void> {}
}
