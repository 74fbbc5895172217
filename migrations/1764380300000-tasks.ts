import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks context: tasks, comments, watchers (schema tasks). No foreign keys leave the schema: user
 * ids are plain uuids. Indexes follow the GET /tasks access paths (keyset pagination on every sort,
 * the member visibility branches, filters); test/tasks/task-list-plans.e2e-spec.ts checks their
 * plans on 200k seeded tasks.
 */
export class Tasks1764380300000 implements MigrationInterface {
  name = 'Tasks1764380300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS tasks`);
    await q.query(`
      CREATE TABLE tasks.tasks (
        id                  uuid         NOT NULL PRIMARY KEY,
        title               varchar(200) NOT NULL,
        description         text,
        priority            text         NOT NULL,
        -- sort key of sort=priority / -priority (low < normal < high < urgent)
        priority_rank       smallint     NOT NULL GENERATED ALWAYS AS (
                              CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END
                            ) STORED,
        state               text         NOT NULL,
        creator_id          uuid         NOT NULL,
        assignee_id         uuid,
        due_at              timestamptz,
        labels              text[]       NOT NULL DEFAULT '{}',
        version             integer      NOT NULL,
        created_at          timestamptz  NOT NULL,
        updated_at          timestamptz  NOT NULL,
        completed_at        timestamptz,
        cancelled_at        timestamptz,
        cancellation_reason varchar(500),
        CONSTRAINT tasks_state_check CHECK (state IN ('draft', 'assigned', 'in_progress', 'completed', 'cancelled')),
        CONSTRAINT tasks_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        CONSTRAINT tasks_version_check CHECK (version >= 1),
        CONSTRAINT tasks_labels_check CHECK (cardinality(labels) <= 20),
        CONSTRAINT tasks_description_check CHECK (char_length(description) <= 10000),
        CONSTRAINT tasks_assignee_check CHECK (state NOT IN ('assigned', 'in_progress') OR assignee_id IS NOT NULL)
      )`);

    // Default listing (sort=±createdAt) for callers who see everything; walked forwards or backwards.
    await q.query(`CREATE INDEX tasks_created ON tasks.tasks (created_at, id)`);
    // ?state= (admins / managers), in createdAt order.
    await q.query(`CREATE INDEX tasks_state_created ON tasks.tasks (state, created_at, id)`);
    // ?creatorId= and the member visibility branch "creator = me".
    await q.query(`CREATE INDEX tasks_creator_created ON tasks.tasks (creator_id, created_at, id)`);
    // ?assigneeId= and the member visibility branch "assignee = me" (also the deactivation reaction).
    await q.query(`CREATE INDEX tasks_assignee_created ON tasks.tasks (assignee_id, created_at, id) WHERE assignee_id IS NOT NULL`);
    // The same two member branches under sort=±dueAt and sort=±priority.
    await q.query(`CREATE INDEX tasks_creator_due ON tasks.tasks (creator_id, due_at, id)`);
    await q.query(`CREATE INDEX tasks_assignee_due ON tasks.tasks (assignee_id, due_at, id) WHERE assignee_id IS NOT NULL`);
    await q.query(`CREATE INDEX tasks_creator_priority ON tasks.tasks (creator_id, priority_rank, id)`);
    await q.query(`CREATE INDEX tasks_assignee_priority ON tasks.tasks (assignee_id, priority_rank, id) WHERE assignee_id IS NOT NULL`);
    // sort=±dueAt (NULLS LAST ascending = NULLS FIRST descending) and ?dueBefore=.
    await q.query(`CREATE INDEX tasks_due ON tasks.tasks (due_at, id)`);
    // sort=±priority.
    await q.query(`CREATE INDEX tasks_priority ON tasks.tasks (priority_rank, id)`);
    // ?label= (labels @> ARRAY[label]).
    await q.query(`CREATE INDEX tasks_labels ON tasks.tasks USING gin (labels)`);
    // ?q= full text; queries must repeat this exact expression.
    await q.query(
      `CREATE INDEX tasks_search ON tasks.tasks USING gin (to_tsvector('simple'::regconfig, title || ' ' || coalesce(description, '')))`,
    );

    await q.query(`
      CREATE TABLE tasks.task_comments (
        id          uuid        NOT NULL PRIMARY KEY,
        task_id     uuid        NOT NULL REFERENCES tasks.tasks (id) ON DELETE CASCADE,
        author_id   uuid        NOT NULL,
        body        text        NOT NULL,
        created_at  timestamptz NOT NULL,
        CONSTRAINT task_comments_body_check CHECK (char_length(body) BETWEEN 1 AND 10000)
      )`);
    await q.query(`CREATE INDEX task_comments_task_created ON tasks.task_comments (task_id, created_at, id)`);

    await q.query(`
      CREATE TABLE tasks.task_watchers (
        task_id         uuid        NOT NULL REFERENCES tasks.tasks (id) ON DELETE CASCADE,
        user_id         uuid        NOT NULL,
        since           timestamptz NOT NULL,
        -- copy of tasks.created_at (immutable): lets the member branch "I watch it" walk the watch
        -- list in the default sort order instead of reading all of it
        task_created_at timestamptz NOT NULL,
        PRIMARY KEY (task_id, user_id)
      )`);
    // The member visibility branch "I watch it" starts from the user, in createdAt order.
    await q.query(`CREATE INDEX task_watchers_user_created ON tasks.task_watchers (user_id, task_created_at, task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tasks.task_watchers`);
    await q.query(`DROP TABLE tasks.task_comments`);
    await q.query(`DROP TABLE tasks.tasks`);
  }
}
