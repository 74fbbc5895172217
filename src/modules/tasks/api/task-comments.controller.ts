import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_PREFIX, ApiPageResponse, ApiProblems, Page, PageQueryDto } from '../../../platform/http';
import { AuthUser } from '../../users';
import type { CurrentUser } from '../../users';
import { TaskCommentService } from '../application/task-comment.service';
import { TaskQueryService } from '../application/task-query.service';
import type { TaskCommentView } from '../application/task-comment.view';
import { AddCommentRequestDto } from './dto/add-comment.request.dto';
import { TaskCommentParamsDto, TaskIdParamDto } from './dto/task-id.request.dto';
import { TaskCommentResponseDto } from './dto/task.response.dto';
import { decodeCommentCursor, encodeCommentCursor } from './task-cursor.codec';
import { ApiIdempotencyKey, ApiIfMatch, expectedVersionFrom } from './task-http-headers';

/** Comments on a task: anyone who may see the task may read and add them (closed tasks too). */
@ApiTags('tasks')
@Controller('tasks/:id/comments')
export class TaskCommentsController {
  constructor(
    private readonly comments: TaskCommentService,
    private readonly queries: TaskQueryService,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'tasks.addComment',
    summary: 'Comment on a task',
    description: 'Records `task.commented`; the task’s version does not change.',
  })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({
    type: TaskCommentResponseDto,
    description: 'The new comment; `Location` names it',
    headers: {
      Location: {
        description: 'URL of the new comment',
        schema: {
          type: 'string',
          example: '/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments/019ad0c5-0a0b-7c3a-8f2d-4b6e9a1c7d30',
        },
      },
    },
  })
  @ApiProblems(400, 401, 404, 409, 412, 413, 415, 422, 429)
  async add(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Body() body: AddCommentRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskCommentView> {
    const expected = await expectedVersionFrom(ifMatch, async () => (await this.queries.get(user, params.id)).version);
    const comment = await this.comments.add(user, params.id, body.body, expected);
    reply.header('location', `/${API_PREFIX}/tasks/${comment.taskId}/comments/${comment.id}`);
    return comment;
  }

  @Get(':commentId')
  @ApiOperation({
    operationId: 'tasks.getComment',
    summary: 'One comment of a task',
    description: 'What the `Location` of a new comment points at.',
  })
  @ApiOkResponse({ type: TaskCommentResponseDto })
  @ApiProblems(400, 401, 404, 429)
  get(@AuthUser() user: CurrentUser, @Param() params: TaskCommentParamsDto): Promise<TaskCommentView> {
    return this.comments.get(user, params.id, params.commentId);
  }

  @Get()
  @ApiOperation({
    operationId: 'tasks.listComments',
    summary: 'A task’s comments, oldest first',
    description: 'Anyone who may see the task may read its comments.',
  })
  @ApiPageResponse(TaskCommentResponseDto)
  @ApiProblems(400, 401, 404, 429)
  async list(@AuthUser() user: CurrentUser, @Param() params: TaskIdParamDto, @Query() page: PageQueryDto): Promise<Page<TaskCommentView>> {
    const result = await this.comments.list(user, params.id, {
      limit: page.limit,
      after: page.cursor === undefined ? null : decodeCommentCursor(page.cursor),
    });
    return { data: result.items, nextCursor: result.nextCursor ? encodeCommentCursor(result.nextCursor) : null };
  }
}
