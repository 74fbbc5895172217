import { MicroBatcher } from './micro-batcher';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('MicroBatcher', () => {
  it('answers each caller with its own result, calls of one tick going out as one batch', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects calls made while batches are in flight into the next batch, with at most maxInFlight at a time', async () => {
    const gates: Array<ReturnType<typeof deferred<void>>> = [];
    const batches: number[][] = [];
    let inFlight = 0;
    let maxSeen = 0;
    const batcher = new MicroBatcher<number, number>(
      async (inputs) => {
        batches.push(inputs);
        inFlight += 1;
        maxSeen = Math.max(maxSeen, inFlight);
        const gate = deferred<void>();
        gates.push(gate);
        await gate.promise;
        inFlight -= 1;
        return inputs;
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const first = batcher.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((n) => batcher.submit(n));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]); // the others wait for the batch in flight
    gates[0].resolve();
    expect(await first).toBe(1);
    for (let i = 0; i < 5 && batches.length < 2; i++) await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates[1].resolve();
    expect(await Promise.all(later)).toEqual([2, 3, 4]);
    expect(maxSeen).toBe(1);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>(
      async (inputs) => {
        sizes.push(inputs.length);
        return inputs;
      },
      { maxBatch: 2, maxInFlight: 4 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('rejects every call of a failed batch, and keeps serving later calls', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      if (fail) throw new Error('database down');
      return inputs;
    });
    const failed = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason).toEqual(new Error('database down'));
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
  });

  it('rejects a batch whose result count does not match its inputs', async () => {
    const batcher = new MicroBatcher<number, number>(async () => [1]);
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('batch returned 1 results for 2 inputs');
  });
});
