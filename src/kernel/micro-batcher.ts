/**
 * Coalesces calls made by concurrent jobs into one batched call: the first call runs at once (on
 * the next tick, with whatever else arrived in the same tick); calls that arrive while a batch is
 * in flight wait and go together in the next one. So under light load a call waits for nothing,
 * and under heavy load N concurrent jobs cost one round trip instead of N.
 *
 * `run` receives the inputs of a batch and returns one result per input, in the same order. If it
 * throws, every call of that batch is rejected with the error (each caller handles it as if its
 * own call had failed).
 */
export class MicroBatcher<I, O> {
  private queued: Array<{ input: I; resolve: (out: O) => void; reject: (err: unknown) => void }> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly options: { maxBatch: number; maxInFlight: number } = { maxBatch: 256, maxInFlight: 2 },
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queued.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queued.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queued.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queued.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.execute(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  private async execute(batch: Array<{ input: I; resolve: (out: O) => void; reject: (err: unknown) => void }>): Promise<void> {
    try {
      const results = await this.run(batch.map((b) => b.input));
      if (results.length !== batch.length) throw new Error(`batch returned ${results.length} results for ${batch.length} inputs`);
      batch.forEach((b, i) => b.resolve(results[i]));
    } catch (err) {
      batch.forEach((b) => b.reject(err));
    }
  }
}
