/** SQLSTATE of a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * Whether a driver error (as thrown by pg, or wrapped by TypeORM's QueryFailedError) is a unique
 * violation, optionally of one named constraint / unique index.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driver = driverErrorOf(error);
  return driver?.code === UNIQUE_VIOLATION && (constraint === undefined || driver.constraint === constraint);
}

/** The SQLSTATE of a raise by a schema's own check function (e.g. tasks.expect_version_held): `code`. */
export function isRaisedAs(error: unknown, code: string): boolean {
  return driverErrorOf(error)?.code === code;
}

/** pg's error, as thrown by pg or wrapped by TypeORM's QueryFailedError (`driverError`). */
function driverErrorOf(error: unknown): { code?: unknown; constraint?: unknown } | null {
  if (typeof error !== 'object' || error === null) return null;
  return ((error as { driverError?: unknown }).driverError ?? error) as { code?: unknown; constraint?: unknown };
}
