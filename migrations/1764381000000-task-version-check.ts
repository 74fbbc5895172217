import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tasks.expect_version_held(version_held)`: raises SQLSTATE `TW409` ("task version conflict")
 * unless `version_held` (the parameter is not called `found`: PL/pgSQL's FOUND would shadow it).
 * A change to an existing task sent as ONE statement (UnitOfWork.runWrites: the guarded UPDATE …
 * WHERE version = expected, its reminders and its events as data-modifying CTEs) calls it over the
 * UPDATE's rows: when a concurrent writer moved the version first, the whole statement fails — the
 * events are not stored — and the repository turns the error into VersionConflictError.
 */
export class TaskVersionCheck1764381000000 implements MigrationInterface {
  name = 'TaskVersionCheck1764381000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION tasks.expect_version_held(version_held boolean) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        IF NOT version_held THEN
          RAISE EXCEPTION 'task version conflict' USING ERRCODE = 'TW409';
        END IF;
        RETURN true;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tasks.expect_version_held(boolean)`);
  }
}
