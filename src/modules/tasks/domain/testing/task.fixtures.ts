import { DomainError, newId } from '../../../../kernel';
import { type CurrentUser, type DirectoryUser, type Role, permissionsOf } from '../../../users';
import { Task, TaskProps } from '../task.aggregate';

/** Test data builders for the Tasks domain (used by unit tests only). */
export const T0 = new Date('2030-01-01T00:00:00.000Z');

export function anActor(role: Role = 'member', id: string = newId()): CurrentUser {
  return { id, role, permissions: permissionsOf(role) };
}

export function aDirectoryUser(actor: Pick<CurrentUser, 'id' | 'role'>, active = true): DirectoryUser {
  return { id: actor.id, email: `${actor.id}@example.test`, name: 'Someone', role: actor.role, active };
}

export function taskProps(overrides: Partial<TaskProps> = {}): TaskProps {
  const state = overrides.state ?? 'draft';
  const needsAssignee = state === 'assigned' || state === 'in_progress';
  return {
    id: newId(),
    title: 'Write the report',
    description: null,
    priority: 'normal',
    state,
    creatorId: newId(),
    assigneeId: needsAssignee ? newId() : null,
    dueAt: null,
    labels: [],
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    completedAt: state === 'completed' ? T0 : null,
    cancelledAt: state === 'cancelled' ? T0 : null,
    cancellationReason: null,
    ...overrides,
  };
}

export function aTask(overrides: Partial<TaskProps> = {}): Task {
  return Task.restore(taskProps(overrides));
}

/** The error `fn` throws (fails the test when it throws nothing). */
export function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** The error the promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but the promise resolved');
}
