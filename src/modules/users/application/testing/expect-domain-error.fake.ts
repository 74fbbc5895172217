import { DomainError } from '../../../../kernel';

/** Awaits the promise and returns the DomainError it rejected with; fails the test otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<DomainError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`expected a DomainError, got ${String(error)}`);
  }
  throw new Error(`expected a DomainError, got a result: ${JSON.stringify(outcome)}`);
}

export async function expectCode(promise: Promise<unknown>, code: string): Promise<DomainError> {
  const error = await rejectionOf(promise);
  expect(error.code).toBe(code);
  return error;
}
