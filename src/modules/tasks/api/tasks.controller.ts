import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_PREFIX, ApiPageResponse, ApiProblems, Page, PageQueryDto } from '../../../platform/http';
import { AuthUser, RequirePermissions } from '../../users';
import type { CurrentUser } from '../../users';
import type { EventListPage } from '../../events';
import { TaskAssignmentService } from '../application/task-assignment.service';
import { TaskAuditTrailService } from '../application/task-audit-trail.service';
import { TaskCreationService } from '../application/task-creation.service';
import { TaskDeletionService } from '../application/task-deletion.service';
import { TaskQueryService } from '../application/task-query.service';
import { TaskStateTransitionService } from '../application/task-state-transition.service';
import { TaskUpdateService } from '../application/task-update.service';
import type { TaskView } from '../application/task.view';
import { AssignTaskRequestDto } from './dto/assign-task.request.dto';
import { CreateTaskRequestDto } from './dto/create-task.request.dto';
import { ListTasksQueryDto } from './dto/list-tasks.request.dto';
import { toDateOrNull } from './dto/task-field.validators';
import { TaskIdParamDto } from './dto/task-id.request.dto';
import { TaskEventResponseDto, TaskResponseDto } from './dto/task.response.dto';
import { TransitionTaskRequestDto } from './dto/transition-task.request.dto';
import { UpdateTaskRequestDto } from './dto/update-task.request.dto';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor.codec';
import {
  ApiIdempotencyKey,
  ApiIfMatch,
  ApiIfNoneMatch,
  ApiTaskResponse,
  etagOf,
  expectedVersionFrom,
  ifNoneMatchHits,
} from './task-http-headers';

/** Tasks and their lifecycle (docs/api.md "Tasks"). Thin: parse, call one use case, shape the response. */
@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly creation: TaskCreationService,
    private readonly queries: TaskQueryService,
    private readonly updates: TaskUpdateService,
    private readonly assignment: TaskAssignmentService,
    private readonly transitions: TaskStateTransitionService,
    private readonly deletion: TaskDeletionService,
    private readonly auditTrail: TaskAuditTrailService,
  ) {}

  @Post()
  @RequirePermissions('tasks:create')
  @ApiOperation({
    operationId: 'tasks.create',
    summary: 'Create a task',
    description: 'State `draft`, or `assigned` when `assigneeId` is given (members may only assign themselves).',
  })
  @ApiIdempotencyKey()
  @ApiTaskResponse(201, 'The new task')
  @ApiProblems(400, 401, 403, 409, 413, 415, 422, 429)
  async create(
    @AuthUser() user: CurrentUser,
    @Body() body: CreateTaskRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskView> {
    const task = await this.creation.create(user, { ...body, dueAt: toDateOrNull(body.dueAt) });
    reply.header('location', `/${API_PREFIX}/tasks/${task.id}`).header('etag', etagOf(task.version));
    return task;
  }

  @Get()
  @ApiOperation({
    operationId: 'tasks.list',
    summary: 'List the tasks the caller may see',
    description: 'Admins and managers see every task; members those they created, are assigned to, or watch.',
  })
  @ApiPageResponse(TaskResponseDto)
  @ApiProblems(400, 401, 429)
  async list(@AuthUser() user: CurrentUser, @Query() query: ListTasksQueryDto): Promise<Page<TaskView>> {
    const page = await this.queries.list(user, {
      state: query.state,
      assigneeId: query.assigneeId,
      creatorId: query.creatorId,
      priority: query.priority,
      label: query.label,
      q: query.q,
      dueBefore: query.dueBefore === undefined ? undefined : new Date(query.dueBefore),
      sort: query.sort,
      limit: query.limit,
      after: query.cursor === undefined ? null : decodeTaskCursor(query.cursor),
    });
    return { data: page.items, nextCursor: page.nextCursor ? encodeTaskCursor(page.nextCursor) : null };
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'tasks.get',
    summary: 'Get a task',
    description: 'Answers 304 (no body) when `If-None-Match` holds the current ETag.',
  })
  @ApiIfNoneMatch()
  @ApiTaskResponse(200, 'The task')
  @ApiResponse({
    status: 304,
    description: 'Not modified: `If-None-Match` matches the current version',
    headers: { ETag: { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 404, 429)
  async get(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const task = await this.queries.get(user, params.id);
    reply.header('etag', etagOf(task.version)).header('cache-control', 'private, no-cache');
    if (ifNoneMatchHits(ifNoneMatch, task.version)) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).send(task);
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'tasks.update',
    summary: 'Edit title, description, priority, due date or labels',
    description:
      'Admins, managers, or the creator. `state` cannot be changed here (use /transition and /assign). A completed or cancelled task is 409 TASK_CLOSED.',
  })
  @ApiIfMatch()
  @ApiTaskResponse(200, 'The task after the change (unchanged when nothing differs)')
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 415, 429)
  async update(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Body() body: UpdateTaskRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskView> {
    const expected = await expectedVersionFrom(ifMatch, () => this.currentVersion(user, params.id));
    const task = await this.updates.update(user, params.id, { ...body, dueAt: toDateOrNull(body.dueAt) }, expected);
    reply.header('etag', etagOf(task.version));
    return task;
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'tasks.assign',
    summary: 'Assign (or reassign) the task',
    description:
      'From `draft`, `assigned` (reassign) or `in_progress` (back to `assigned`). Admins and managers assign anyone; a member only themself, on a draft they created.',
  })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  @ApiTaskResponse(200, 'The task, now `assigned`')
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
  async assign(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Body() body: AssignTaskRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskView> {
    const expected = await expectedVersionFrom(ifMatch, () => this.currentVersion(user, params.id));
    const task = await this.assignment.assign(user, params.id, body.assigneeId, expected);
    reply.header('etag', etagOf(task.version));
    return task;
  }

  @Post(':id/transition')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'tasks.transition',
    summary: 'Move the task through its lifecycle',
    description:
      'start (`in_progress`), `completed`, pause (`assigned`), unassign (`draft`): the assignee, managers, admins. `cancelled`: managers, admins, and the creator while it is a draft. ' +
      'A target not reachable from the current state is 409 INVALID_TRANSITION with `allowedTransitions`; reachable but not for this caller is 403 FORBIDDEN_TRANSITION.',
  })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  @ApiTaskResponse(200, 'The task in its new state')
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
  async transition(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Body() body: TransitionTaskRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskView> {
    const expected = await expectedVersionFrom(ifMatch, () => this.currentVersion(user, params.id));
    const task = await this.transitions.transition(user, params.id, { state: body.state, reason: body.reason }, expected);
    reply.header('etag', etagOf(task.version));
    return task;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('tasks:delete')
  @ApiOperation({
    operationId: 'tasks.delete',
    summary: 'Delete a task (admins)',
    description: 'Its comments and watchers go with it; its events stay in the audit trail.',
  })
  @ApiIfMatch()
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404, 409, 412, 429)
  async delete(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    const expected = await expectedVersionFrom(ifMatch, () => this.currentVersion(user, params.id));
    await this.deletion.delete(user, params.id, expected);
  }

  @Get(':id/events')
  @ApiOperation({
    operationId: 'tasks.listEvents',
    summary: 'The task’s audit trail, oldest first',
    description: 'After deletion the trail stays readable for admins and managers.',
  })
  @ApiPageResponse(TaskEventResponseDto)
  @ApiProblems(400, 401, 404, 429)
  events(@AuthUser() user: CurrentUser, @Param() params: TaskIdParamDto, @Query() page: PageQueryDto): Promise<EventListPage> {
    return this.auditTrail.list(user, params.id, { limit: page.limit, cursor: page.cursor });
  }

  private async currentVersion(user: CurrentUser, taskId: string): Promise<number> {
    return (await this.queries.get(user, taskId)).version;
  }
}
