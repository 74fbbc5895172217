import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TypeORM's own bookkeeping table, which `migration:generate` reads to compare generated columns
 * (tasks.tasks.priority_rank is one). Our migrations are hand-written, so we record it here.
 */
export class TypeormMetadata1764380500000 implements MigrationInterface {
  name = 'TypeormMetadata1764380500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS public.typeorm_metadata (
      "type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`);
    await q.query(
      `INSERT INTO public.typeorm_metadata ("type", "database", "schema", "table", "name", "value")
       VALUES ('GENERATED_COLUMN', current_database(), 'tasks', 'tasks', 'priority_rank',
               $1)`,
      ["CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END"],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM public.typeorm_metadata WHERE "schema" = 'tasks' AND "table" = 'tasks' AND "name" = 'priority_rank'`);
  }
}
