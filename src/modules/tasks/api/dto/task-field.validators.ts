import { ValidationArguments, ValidationOptions, ValidateBy, buildMessage, isISO8601 } from 'class-validator';
import { FieldError, isUuid } from '../../../../kernel';

/** RFC 3339 date-time with an explicit offset (`2025-12-01T17:00:00Z`, `…+02:00`), calendar-valid. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export function isDateTimeString(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME.test(value) && isISO8601(value, { strict: true }) && !Number.isNaN(Date.parse(value));
}

/** A UUID exactly as the kernel understands ids (the domain re-checks with the same function). */
export function IsUuidId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUuidId',
      validator: { validate: (value) => isUuid(value), defaultMessage: buildMessage((each) => `${each}$property must be a UUID`, options) },
    },
    options,
  );
}

export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTime',
      validator: {
        validate: (value) => isDateTimeString(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO 8601 date-time with a time zone, e.g. 2025-12-01T17:00:00Z`,
          options,
        ),
      },
    },
    options,
  );
}

/** `undefined` stays absent, `null` stays null (clears the field), anything else becomes a Date. */
export function toDateOrNull(value: string | null | undefined): Date | null | undefined {
  if (value === undefined || value === null) return value;
  return new Date(value);
}

/**
 * Runs one of the domain's field rules (domain/task-fields.value-object) at the HTTP edge, so a
 * request with several bad fields hears about all of them in one 400 — with the domain's own
 * wording. The aggregate applies the same rule again; nothing here can disagree with it.
 */
export function SatisfiesTaskRule(rule: (value: unknown, errors: FieldError[]) => unknown, options?: ValidationOptions): PropertyDecorator {
  const firstError = (value: unknown): string | null => {
    const errors: FieldError[] = [];
    rule(value, errors);
    return errors[0]?.message ?? null;
  };
  return ValidateBy(
    {
      name: 'satisfiesTaskRule',
      validator: {
        validate: (value) => firstError(value) === null,
        defaultMessage: (args?: ValidationArguments) => firstError(args?.value) ?? 'is invalid',
      },
    },
    options,
  );
}
