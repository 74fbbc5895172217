import { ChaosMode, chaosOptionsFromEnv, runChaos } from './chaos-harness';
import { expectClean } from './chaos-assertions';

/**
 * The long chaos run (`npm run test:chaos`). Both scenarios by default; CHAOS_MODES=redis or
 * CHAOS_MODES=embedded picks one. Duration and intensity from the environment:
 *   CHAOS_DURATION_S (180)   load duration per scenario
 *   CHAOS_WRITERS (4)        concurrent writer loops
 *   CHAOS_THINK_MS (40)      pause between two requests of one writer
 *   CHAOS_MIN_GAP_MS / CHAOS_MAX_GAP_MS (4000 / 9000) pause between chaos actions
 *   CHAOS_QUIET_TAIL_S (15)  last seconds of load without chaos
 *   CHAOS_DRAIN_S (240)      bound for the drain before the audit
 *   CHAOS_KILL_EMBEDDED_OWNER=true  embedded mode: also SIGKILL the process that owns PostgreSQL
 * The redis scenario uses DATABASE_URL's server when set (else the e2e embedded PostgreSQL) for a
 * fresh database, and always a private redis-server on a free port.
 */
const modes = (process.env.CHAOS_MODES ?? 'redis,embedded').split(',').map((m) => m.trim()) as ChaosMode[];

describe('chaos (long)', () => {
  for (const mode of modes) {
    it(`${mode}: nothing lost, nothing duplicated`, async () => {
      const counts = await runChaos(
        chaosOptionsFromEnv(mode, {
          durationMs: 180_000,
          writers: 4,
          chaosEveryMs: [4000, 9000],
          quietTailMs: 15_000,
          drainTimeoutMs: 240_000,
        }),
      );
      expectClean(counts);
    });
  }
});
