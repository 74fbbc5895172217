import { ChaosMode, chaosOptionsFromEnv, runChaos } from './chaos-harness';
import { expectClean } from './chaos-assertions';

/**
 * Short chaos run for CI (well under 2 minutes): 2 API + 2 worker processes under a write load
 * while workers are SIGKILLed/restarted (and, with REDIS_URL set, a private Redis is restarted),
 * then a ledger audit. The mode follows the suite's environment: REDIS_URL set → PostgreSQL
 * (DATABASE_URL's server) + a private redis-server; otherwise the embedded default (shared
 * DATA_DIR, BullMQ on PostgreSQL). The long version is `npm run test:chaos`.
 */
const mode: ChaosMode = (process.env.CHAOS_MODE as ChaosMode | undefined) ?? (process.env.REDIS_URL ? 'redis' : 'embedded');

describe(`chaos (short, ${mode})`, () => {
  it('loses nothing and duplicates nothing while workers are killed and Redis restarts', async () => {
    const counts = await runChaos(
      chaosOptionsFromEnv(mode, {
        durationMs: 30_000,
        writers: 3,
        chaosEveryMs: [2500, 4000],
        quietTailMs: 12_000,
        drainTimeoutMs: 75_000,
      }),
    );
    expectClean(counts);
  }, 240_000);
});
