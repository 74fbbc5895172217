/** A comment on a task. Comments are append-only and do not change the task's version. */
export interface TaskComment {
  readonly id: string;
  readonly taskId: string;
  readonly authorId: string;
  readonly body: string;
  readonly createdAt: Date;
}

const EXCERPT_MAX = 200;

/** The start of a comment for notification texts: whitespace collapsed, at most 200 characters. */
export function commentExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= EXCERPT_MAX ? flat : `${chars.slice(0, EXCERPT_MAX - 1).join('')}…`;
}
