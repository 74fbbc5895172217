import { FieldError, isUuid } from '../../../kernel';
import { TASK_PRIORITIES, TaskPriority, isTaskPriority } from './task-priority.value-object';

/**
 * Field rules of a task (docs/api.md "Limits"), shared by creation and PATCH. Each normaliser returns
 * the canonical value or records a field error, so one request reports every invalid field at once.
 * Lengths count Unicode code points, as PostgreSQL's varchar does.
 */
export const TASK_LIMITS = {
  titleMax: 200,
  descriptionMax: 10_000,
  labelsMax: 20,
  labelMax: 50,
  reasonMax: 500,
  commentMax: 10_000,
} as const;

export function charLength(value: string): number {
  return Array.from(value).length;
}

/** PostgreSQL text cannot hold U+0000, so no stored or searched text may contain it. */
export function hasNul(value: string): boolean {
  return value.includes('\u0000');
}

const NO_NUL = 'must not contain NUL (U+0000) characters';

type Errors = FieldError[];

export function normalizeTitle(value: unknown, errors: Errors): string | undefined {
  if (typeof value !== 'string') {
    errors.push({ field: 'title', message: 'title must be a string' });
    return undefined;
  }
  if (hasNul(value)) {
    errors.push({ field: 'title', message: `title ${NO_NUL}` });
    return undefined;
  }
  const title = value.trim();
  const length = charLength(title);
  if (length < 1 || length > TASK_LIMITS.titleMax) {
    errors.push({ field: 'title', message: `title must be 1..${TASK_LIMITS.titleMax} characters (trimmed)` });
    return undefined;
  }
  return title;
}

/** An empty (or whitespace-only) description means "no description": it is stored as null. */
export function normalizeDescription(value: unknown, errors: Errors): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'string') {
    errors.push({ field: 'description', message: 'description must be a string or null' });
    return undefined;
  }
  if (hasNul(value)) {
    errors.push({ field: 'description', message: `description ${NO_NUL}` });
    return undefined;
  }
  if (charLength(value) > TASK_LIMITS.descriptionMax) {
    errors.push({ field: 'description', message: `description must be at most ${TASK_LIMITS.descriptionMax} characters` });
    return undefined;
  }
  return value.trim() === '' ? null : value;
}

export function normalizePriority(value: unknown, errors: Errors): TaskPriority | undefined {
  if (!isTaskPriority(value)) {
    errors.push({ field: 'priority', message: `priority must be one of ${TASK_PRIORITIES.join(', ')}` });
    return undefined;
  }
  return value;
}

export function normalizeDueAt(value: unknown, errors: Errors): Date | null | undefined {
  if (value === null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    errors.push({ field: 'dueAt', message: 'dueAt must be a valid date-time or null' });
    return undefined;
  }
  return new Date(value.getTime());
}

/** Trimmed, de-duplicated (first occurrence wins, order kept), at most 20 of 1..50 characters. */
export function normalizeLabels(value: unknown, errors: Errors): string[] | undefined {
  if (!Array.isArray(value)) {
    errors.push({ field: 'labels', message: 'labels must be an array of strings' });
    return undefined;
  }
  const labels: string[] = [];
  let valid = true;
  value.forEach((raw: unknown, index) => {
    const label = typeof raw === 'string' ? raw.trim() : undefined;
    const length = label === undefined ? 0 : charLength(label);
    if (label === undefined || length < 1 || length > TASK_LIMITS.labelMax || hasNul(label)) {
      errors.push({
        field: `labels[${index}]`,
        message: `each label must be 1..${TASK_LIMITS.labelMax} characters (trimmed), without NUL characters`,
      });
      valid = false;
      return;
    }
    if (!labels.includes(label)) labels.push(label);
  });
  if (!valid) return undefined;
  if (labels.length > TASK_LIMITS.labelsMax) {
    errors.push({ field: 'labels', message: `at most ${TASK_LIMITS.labelsMax} distinct labels` });
    return undefined;
  }
  return labels;
}

export function normalizeUserId(field: string, value: unknown, errors: Errors): string | undefined {
  if (!isUuid(value)) {
    errors.push({ field, message: `${field} must be a UUID` });
    return undefined;
  }
  return value.toLowerCase();
}

/** A transition / cancellation reason: optional, trimmed, at most 500 characters; blank → null. */
export function normalizeReason(value: unknown, errors: Errors): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push({ field: 'reason', message: 'reason must be a string' });
    return undefined;
  }
  if (hasNul(value)) {
    errors.push({ field: 'reason', message: `reason ${NO_NUL}` });
    return undefined;
  }
  const reason = value.trim();
  if (charLength(reason) > TASK_LIMITS.reasonMax) {
    errors.push({ field: 'reason', message: `reason must be at most ${TASK_LIMITS.reasonMax} characters` });
    return undefined;
  }
  return reason === '' ? null : reason;
}

/** Comment bodies keep their exact text (markdown whitespace matters) but must not be blank. */
export function normalizeCommentBody(value: unknown, errors: Errors): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || charLength(value) > TASK_LIMITS.commentMax) {
    errors.push({ field: 'body', message: `body must be 1..${TASK_LIMITS.commentMax} characters and not blank` });
    return undefined;
  }
  if (hasNul(value)) {
    errors.push({ field: 'body', message: `body ${NO_NUL}` });
    return undefined;
  }
  return value;
}

export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}
