/**
 * Rejects with `message` when `work` has not settled within `ms` (the work itself is not
 * cancelled). Scrapes and status reads use it so a database or queue backend that hangs costs a
 * missing value, not a hanging request.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
