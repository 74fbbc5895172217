import { TASK_PRIORITY_RANK } from '../domain/task-priority.value-object';
import type { TaskCursor, TaskListFilter, TaskListQuery, TaskSort } from '../application/ports/task.repository.port';
import { TASK_COLUMNS } from './task.columns';

/**
 * The SQL of GET /tasks: keyset pagination in the orderings of TaskListQuery
 * (application/task-list-order.ts is the reference), shaped so every page is an index walk.
 *
 * - Every statement is `SELECT … WHERE … ORDER BY … LIMIT n` over one index range, so a page
 *   reads about n index entries however large the table (see test/tasks/task-list-plans.e2e-spec.ts
 *   for the plans on 200k rows).
 * - `dueAt` orders a missing due date after every date (ascending; first when descending). Rows
 *   with and without a due date are separate index ranges ("keyset parts"), so a cursor that
 *   crosses from one to the other becomes two statements instead of an OR no index can serve.
 * - Member visibility (`creator = me OR assignee = me OR I watch it`) is three branches merged by
 *   UNION instead of one OR with an EXISTS, which PostgreSQL could only evaluate row by row along
 *   the whole ordering index (buildMemberListSql).
 * - Filters whose index cannot deliver the page's order (labels, full text, dueBefore under another
 *   sort) are probed over a bounded window first (TaskListStep.windowed).
 */

interface Branch {
  from: string;
  where: string[];
}

interface KeysetPart {
  /** Adds its parameters to the statement being built (only the statements that use them). */
  where: (p: Params) => string[];
  orderBy: string;
}

export interface Sql {
  sql: string;
  params: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** ORDER BY of the merged result (column aliases of COLUMNS). */
function outerOrder(sort: TaskSort): string {
  switch (sort) {
    case 'createdAt':
      return `"createdAt" ASC, "id" ASC`;
    case '-createdAt':
      return `"createdAt" DESC, "id" DESC`;
    case 'dueAt':
      return `"dueAt" ASC NULLS LAST, "id" ASC`;
    case '-dueAt':
      return `"dueAt" DESC NULLS FIRST, "id" DESC`;
    case 'priority':
      return `"priorityRank" ASC, "id" ASC`;
    case '-priority':
      return `"priorityRank" DESC, "id" DESC`;
  }
}

/** Where the sort keys live: the task row, or (createdAt order only) the watch-list row. */
interface KeyColumns {
  createdAt: string;
  id: string;
}
const TASK_KEYS: KeyColumns = { createdAt: 't.created_at', id: 't.id' };
const WATCH_KEYS: KeyColumns = { createdAt: 'w.task_created_at', id: 'w.task_id' };

/** The index ranges one page of `sort` reads, starting strictly after `after`, in order. */
function keysetParts(sort: TaskSort, after: TaskCursor | null, dueBefore: boolean, keys: KeyColumns = TASK_KEYS): KeysetPart[] {
  const desc = sort.startsWith('-');
  const dir = desc ? 'DESC' : 'ASC';
  const cmp = desc ? '<' : '>';
  const none = (): string[] => [];
  switch (sort) {
    case 'createdAt':
    case '-createdAt': {
      const orderBy = `${keys.createdAt} ${dir}, ${keys.id} ${dir}`;
      if (after === null || !('createdAt' in after)) return [{ where: none, orderBy }];
      return [
        {
          where: (p) => [`(${keys.createdAt}, ${keys.id}) ${cmp} (${p.add(after.createdAt)}::timestamptz, ${p.add(after.id)}::uuid)`],
          orderBy,
        },
      ];
    }
    case 'priority':
    case '-priority': {
      const orderBy = `t.priority_rank ${dir}, t.id ${dir}`;
      if (after === null || !('priority' in after)) return [{ where: none, orderBy }];
      const rank = TASK_PRIORITY_RANK[after.priority];
      return [{ where: (p) => [`(t.priority_rank, t.id) ${cmp} (${p.add(rank)}::smallint, ${p.add(after.id)}::uuid)`], orderBy }];
    }
    case 'dueAt':
    case '-dueAt': {
      const dated = `t.due_at ${dir}, t.id ${dir}`;
      const undated = `t.id ${dir}`;
      const cursor = after !== null && 'dueAt' in after ? after : null;
      if (cursor === null)
        return [{ where: none, orderBy: desc ? `t.due_at DESC NULLS FIRST, t.id DESC` : `t.due_at ASC NULLS LAST, t.id ASC` }];
      const { dueAt, id } = cursor;
      if (!desc) {
        // ascending: dated rows after the cursor, then every undated row
        if (dueAt === null) return [{ where: (p) => ['t.due_at IS NULL', `t.id > ${p.add(id)}::uuid`], orderBy: undated }];
        const parts: KeysetPart[] = [
          { where: (p) => [`(t.due_at, t.id) > (${p.add(dueAt)}::timestamptz, ${p.add(id)}::uuid)`], orderBy: dated },
        ];
        if (!dueBefore) parts.push({ where: () => ['t.due_at IS NULL'], orderBy: undated });
        return parts;
      }
      // descending: undated rows first, then dated rows
      if (dueAt !== null)
        return [{ where: (p) => [`(t.due_at, t.id) < (${p.add(dueAt)}::timestamptz, ${p.add(id)}::uuid)`], orderBy: dated }];
      return [
        { where: (p) => ['t.due_at IS NULL', `t.id < ${p.add(id)}::uuid`], orderBy: undated },
        { where: () => ['t.due_at IS NOT NULL'], orderBy: dated },
      ];
    }
  }
}

type Column = 'title' | 'description' | 'labels' | 'dueAt';
const T_COLUMN: Record<Column, string> = { title: 't.title', description: 't.description', labels: 't.labels', dueAt: 't.due_at' };
const W_COLUMN: Record<Column, string> = { title: 'w."title"', description: 'w."description"', labels: 'w."labels"', dueAt: 'w."dueAt"' };

/** Filters with an index that returns rows in the requested order (or dense enough to walk past). */
function denseConditions(filter: TaskListFilter, p: Params): string[] {
  const where: string[] = [];
  if (filter.state !== undefined) where.push(`t.state = ${p.add(filter.state)}`);
  if (filter.assigneeId !== undefined) where.push(`t.assignee_id = ${p.add(filter.assigneeId)}::uuid`);
  if (filter.creatorId !== undefined) where.push(`t.creator_id = ${p.add(filter.creatorId)}::uuid`);
  if (filter.priority !== undefined) where.push(`t.priority = ${p.add(filter.priority)}`);
  return where;
}

/**
 * Filters of unknown selectivity whose index cannot return rows in the page's order (GIN on labels,
 * GIN full text, a due-date range under another sort). Walking the ordering index past rows that
 * fail them is fast when matches are dense and a full-table walk when they are rare (a search
 * with no hit, a label nobody uses, due dates correlated with creation): see TaskListStep.
 */
function sparseConditions(filter: TaskListFilter, p: Params, col: Record<Column, string>): string[] {
  const where: string[] = [];
  if (filter.label !== undefined) where.push(`${col.labels} @> ARRAY[${p.add(filter.label)}::text]`);
  if (filter.q !== undefined) {
    // Over `t.` this is exactly the expression of index tasks_search (migration 1764380300000).
    where.push(
      `to_tsvector('simple'::regconfig, ${col.title} || ' ' || coalesce(${col.description}, '')) @@ websearch_to_tsquery('simple'::regconfig, ${p.add(filter.q)})`,
    );
  }
  if (filter.dueBefore !== undefined) where.push(`${col.dueAt} < ${p.add(filter.dueBefore)}::timestamptz`);
  return where;
}

export function hasSparseFilters(filter: TaskListFilter): boolean {
  return filter.label !== undefined || filter.q !== undefined || filter.dueBefore !== undefined;
}

interface MemberBranch extends Branch {
  parts: KeysetPart[];
}

/** Where the rows may come from for a member: the three ways they see a task. */
function memberBranches(query: TaskListQuery, me: string, p: Params): MemberBranch[] {
  const { filter, sort, after } = query;
  const dueBefore = filter.dueBefore !== undefined;
  const param = `${p.add(me)}::uuid`;
  const taskParts = keysetParts(sort, after, dueBefore);
  const result: MemberBranch[] = [];
  // A branch that contradicts an explicit filter can return nothing: leave it out.
  if (filter.creatorId === undefined || filter.creatorId === me) {
    result.push({ from: 'tasks.tasks t', where: [`t.creator_id = ${param}`], parts: taskParts });
  }
  if (filter.assigneeId === undefined || filter.assigneeId === me) {
    result.push({ from: 'tasks.tasks t', where: [`t.assignee_id = ${param}`], parts: taskParts });
  }
  if (sort === 'createdAt' || sort === '-createdAt') {
    // The watch list carries the task's creation time: walk it in order (task_watchers_user_created),
    // one primary-key probe per row, like the other branches.
    result.push({
      from: `tasks.task_watchers w CROSS JOIN LATERAL (SELECT * FROM tasks.tasks tt WHERE tt.id = w.task_id OFFSET 0) t`,
      where: [`w.user_id = ${param}`],
      parts: keysetParts(sort, after, dueBefore, WATCH_KEYS),
    });
  } else {
    // Other orders: read the member's whole watch list, one primary-key probe per watched task, and
    // sort — bounded by how much they watch, never by the table. (The OFFSET 0 fences stop
    // PostgreSQL from walking the whole ordering index probing the watch list, or hash-joining a
    // sequential scan, both of which grow with the table.)
    result.push({
      from:
        `(SELECT task_id FROM tasks.task_watchers WHERE user_id = ${param} OFFSET 0) w ` +
        `CROSS JOIN LATERAL (SELECT * FROM tasks.tasks tt WHERE tt.id = w.task_id OFFSET 0) t`,
      where: [],
      parts: taskParts,
    });
  }
  return result;
}

/**
 * GET /tasks for a caller without `tasks:read:any`: (creator | assignee | watcher branch) × keyset
 * part, each an index range cut to `rowLimit`, merged by UNION (duplicates removed) and cut again.
 * Each branch is bounded by what that one member created, is assigned or watches.
 */
export function buildMemberListSql(query: TaskListQuery, me: string, rowLimit: number): Sql {
  const p = new Params();
  const filters = [...denseConditions(query.filter, p), ...sparseConditions(query.filter, p, T_COLUMN)];
  const sources = memberBranches(query, me, p);
  const limit = p.add(rowLimit);
  const selects = sources.flatMap((branch) =>
    branch.parts.map((part) => {
      const where = [...branch.where, ...filters, ...part.where(p)];
      return `SELECT ${TASK_COLUMNS} FROM ${branch.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${part.orderBy} LIMIT ${limit}`;
    }),
  );
  return {
    sql: `SELECT * FROM (${selects.map((s) => `(${s})`).join(' UNION ')}) page ORDER BY ${outerOrder(query.sort)} LIMIT ${limit}`,
    params: p.values,
  };
}

/**
 * One index range of GET /tasks for a caller who sees every task. The ranges of a query follow
 * each other in the ordering, so the repository reads them one after the other until the page is
 * full.
 */
export interface TaskListStep {
  /** Filtered rows in order, cut to `rowLimit`: one walk of the ordering index. */
  direct(rowLimit: number): Sql;
  /**
   * With sparse filters only: the next `window` rows of the range (dense filters applied), then
   * the sparse filters over those. If that yields `rowLimit` rows they are the answer; if the
   * window was not full the range is exhausted; otherwise matches are rare here and the caller
   * runs `direct` letting PostgreSQL start from the filters' own indexes (and sort), which is
   * then bounded by the number of matches. Rows carry `windowRows`; a row with a null id only
   * reports the count.
   */
  windowed: ((rowLimit: number, window: number) => Sql) | null;
}

export function buildListSteps(query: TaskListQuery): TaskListStep[] {
  const sparse = hasSparseFilters(query.filter);
  return keysetParts(query.sort, query.after, query.filter.dueBefore !== undefined).map((part) => ({
    direct: (rowLimit: number): Sql => {
      const p = new Params();
      const where = [...denseConditions(query.filter, p), ...sparseConditions(query.filter, p, T_COLUMN), ...part.where(p)];
      const sql = `SELECT ${TASK_COLUMNS} FROM tasks.tasks t${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${part.orderBy} LIMIT ${p.add(rowLimit)}`;
      return { sql, params: p.values };
    },
    windowed: !sparse
      ? null
      : (rowLimit: number, window: number): Sql => {
          const p = new Params();
          const where = [...denseConditions(query.filter, p), ...part.where(p)];
          const inner = `SELECT ${TASK_COLUMNS} FROM tasks.tasks t${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${part.orderBy} LIMIT ${p.add(window)}`;
          const sparseWhere = sparseConditions(query.filter, p, W_COLUMN).join(' AND ');
          const sql =
            `WITH win AS MATERIALIZED (${inner}) ` +
            `SELECT m.*, c.n AS "windowRows" FROM (SELECT count(*)::int AS n FROM win) c ` +
            `LEFT JOIN LATERAL (SELECT w.* FROM win w WHERE ${sparseWhere} ORDER BY ${outerOrder(query.sort)} LIMIT ${p.add(rowLimit)}) m ON true`;
          return { sql, params: p.values };
        },
  }));
}
