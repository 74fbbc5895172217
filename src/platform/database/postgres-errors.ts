/** SQLSTATE of a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * Whether a driver error (as thrown by pg, or wrapped by TypeORM's QueryFailedError) is a unique
 * violation, optionally of one named constraint / unique index.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint: violated } = driver as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && (constraint === undefined || violated === constraint);
}

/** The SQLSTATE of a raise by a schema's own check function (e.g. tasks.expect_version_held): `code`. */
export function isRaisedAs(error: unknown, code: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  return (driver as { code?: unknown }).code === code;
}
