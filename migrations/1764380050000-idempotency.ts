import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys: a lock token per claim, so only the request that holds the claim can complete
 * or release it (a request whose lease expired and was taken over cannot overwrite the new
 * owner's row), and a check on the two states.
 */
export class Idempotency1764380050000 implements MigrationInterface {
  name = 'Idempotency1764380050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform.idempotency_keys ADD COLUMN lock_token uuid`);
    await q.query(
      `ALTER TABLE platform.idempotency_keys ADD CONSTRAINT idempotency_keys_status_check CHECK (status IN ('in_progress', 'completed'))`,
    );
    await q.query(
      `ALTER TABLE platform.idempotency_keys ADD CONSTRAINT idempotency_keys_completed_has_response
         CHECK (status <> 'completed' OR response_status IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform.idempotency_keys DROP CONSTRAINT idempotency_keys_completed_has_response`);
    await q.query(`ALTER TABLE platform.idempotency_keys DROP CONSTRAINT idempotency_keys_status_check`);
    await q.query(`ALTER TABLE platform.idempotency_keys DROP COLUMN lock_token`);
  }
}
