import {
  ConflictError,
  DomainError,
  FieldError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../../kernel';
import type { TaskState } from './task-state.value-object';

/** Stable error codes of the Tasks context (the `code` member of the problem document). */
export const TASK_ERROR_CODES = {
  TASK_NOT_FOUND: 'TASK_NOT_FOUND', // 404 — unknown, or not visible to the caller
  COMMENT_NOT_FOUND: 'COMMENT_NOT_FOUND', // 404 — the (visible) task has no comment with that id
  INVALID_TRANSITION: 'INVALID_TRANSITION', // 409 — target not reachable from the current state
  FORBIDDEN_TRANSITION: 'FORBIDDEN_TRANSITION', // 403 — reachable, but not by this caller
  TASK_CLOSED: 'TASK_CLOSED', // 409 — completed / cancelled tasks cannot be edited or assigned
  ASSIGNEE_NOT_FOUND: 'ASSIGNEE_NOT_FOUND', // 422
  ASSIGNEE_INACTIVE: 'ASSIGNEE_INACTIVE', // 422
  PRECONDITION_FAILED: 'PRECONDITION_FAILED', // 412 — If-Match is stale
  VERSION_CONFLICT: 'VERSION_CONFLICT', // 409 — a concurrent write won the race
  VALIDATION_FAILED: 'VALIDATION_FAILED', // 400
  FORBIDDEN: 'FORBIDDEN', // 403 — policy denial (edit, delete, assign, create)
} as const;
export type TaskErrorCode = (typeof TASK_ERROR_CODES)[keyof typeof TASK_ERROR_CODES];

/** Also used for tasks the caller may not see, so existence never leaks. */
export class TaskNotFoundError extends NotFoundError {
  constructor() {
    super('Task', TASK_ERROR_CODES.TASK_NOT_FOUND);
  }
}

export class TaskCommentNotFoundError extends NotFoundError {
  constructor() {
    super('Comment', TASK_ERROR_CODES.COMMENT_NOT_FOUND);
  }
}

export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly from: TaskState,
    readonly to: TaskState,
    /** What this caller may do instead (also exposed in the problem document). */
    readonly allowedTransitions: readonly TaskState[],
  ) {
    super(TASK_ERROR_CODES.INVALID_TRANSITION, `A task in state ${from} cannot move to ${to}`, {
      currentState: from,
      allowedTransitions: [...allowedTransitions],
    });
  }
}

export class ForbiddenTransitionError extends ForbiddenError {
  constructor(
    readonly from: TaskState,
    readonly to: TaskState,
  ) {
    super(`You are not allowed to move this task from ${from} to ${to}`, TASK_ERROR_CODES.FORBIDDEN_TRANSITION);
  }
}

export class TaskClosedError extends ConflictError {
  constructor(readonly state: TaskState) {
    super(TASK_ERROR_CODES.TASK_CLOSED, `The task is ${state} and can no longer be changed`, { currentState: state });
  }
}

export class AssigneeNotFoundError extends DomainError {
  constructor(readonly assigneeId: string) {
    super(TASK_ERROR_CODES.ASSIGNEE_NOT_FOUND, 'unprocessable', 'The assignee does not exist', { assigneeId });
  }
}

export class AssigneeInactiveError extends DomainError {
  constructor(readonly assigneeId: string) {
    super(TASK_ERROR_CODES.ASSIGNEE_INACTIVE, 'unprocessable', 'The assignee is deactivated', { assigneeId });
  }
}

/**
 * A concurrent write changed (or deleted) the task between our read and our write. Thrown by
 * TaskRepository.save / delete when the stored version is not the expected one.
 */
export class VersionConflictError extends ConflictError {
  constructor(
    readonly taskId: string,
    readonly expectedVersion: number | null,
  ) {
    super(TASK_ERROR_CODES.VERSION_CONFLICT, 'The task was changed by someone else at the same time; reload it and retry');
  }
}

export class TaskForbiddenError extends ForbiddenError {
  constructor(message: string) {
    super(message, TASK_ERROR_CODES.FORBIDDEN);
  }
}

export class TaskValidationError extends ValidationError {
  constructor(errors: FieldError[], message = 'The request has invalid fields') {
    super(message, errors, TASK_ERROR_CODES.VALIDATION_FAILED);
  }
}

export function throwIfInvalid(errors: FieldError[]): void {
  if (errors.length > 0) throw new TaskValidationError(errors);
}

/** If-Match: the client's version must be the one we loaded (checked before anything is written). */
export function assertExpectedVersion(expectedVersion: number | null | undefined, actualVersion: number): void {
  if (expectedVersion !== undefined && expectedVersion !== null && expectedVersion !== actualVersion) {
    throw new PreconditionFailedError();
  }
}
