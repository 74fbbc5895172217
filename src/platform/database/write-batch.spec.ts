import { combineWrites } from './write-batch';

describe('combineWrites', () => {
  it('sends a lone write without a follow-up expression as it is', () => {
    const write = { sql: 'INSERT INTO a (x) VALUES ($1)', params: [1] };
    expect(combineWrites([write])).toEqual({ sql: write.sql, params: [1] });
  });

  it('makes each write a data-modifying CTE, renumbers the placeholders into one list, and selects the follow-ups over their own rows', () => {
    const combined = combineWrites([
      { sql: 'INSERT INTO a (x, y) VALUES ($1, $2)', params: ['x', 'y'] },
      {
        sql: 'INSERT INTO b (z) VALUES ($1), ($2) RETURNING id',
        params: [10, 11, 'channel'],
        then: '(SELECT pg_notify($3, count(*)::text) FROM {rows})',
      },
      { sql: 'DELETE FROM c WHERE id = $1', params: [12] },
    ]);
    expect(combined.sql).toBe(
      'WITH w0 AS (INSERT INTO a (x, y) VALUES ($1, $2)), w1 AS (INSERT INTO b (z) VALUES ($3), ($4) RETURNING id), ' +
        'w2 AS (DELETE FROM c WHERE id = $6) SELECT (SELECT pg_notify($5, count(*)::text) FROM w1)',
    );
    expect(combined.params).toEqual(['x', 'y', 10, 11, 'channel', 12]);
  });

  it('selects a constant when no write has a follow-up, and renumbers two-digit placeholders whole', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `$${i + 1}`).join(', ');
    const combined = combineWrites([
      { sql: 'INSERT INTO a (x) VALUES ($1)', params: [0] },
      { sql: `INSERT INTO b VALUES (${eleven})`, params: Array.from({ length: 11 }, (_, i) => i + 1) },
    ]);
    expect(combined.sql).toBe(
      `WITH w0 AS (INSERT INTO a (x) VALUES ($1)), w1 AS (INSERT INTO b VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)) SELECT 1`,
    );
    expect(combined.params).toHaveLength(12);
  });

  it('refuses a write with a WITH clause of its own (PostgreSQL allows data-modifying CTEs only at the top level)', () => {
    expect(() =>
      combineWrites([
        { sql: 'INSERT INTO a (x) VALUES ($1)', params: [0] },
        { sql: 'WITH d AS (DELETE FROM b) INSERT INTO b VALUES ($1)', params: [1] },
      ]),
    ).toThrow(/WITH clause/);
  });
});
