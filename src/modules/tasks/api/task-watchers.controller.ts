import { Controller, Delete, Get, Headers, HttpCode, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Page } from '../../../platform/http';
import { AuthUser } from '../../users';
import type { CurrentUser } from '../../users';
import { TaskQueryService } from '../application/task-query.service';
import { TaskWatcherService } from '../application/task-watcher.service';
import type { TaskWatcherView } from '../application/task-watcher.view';
import { TaskIdParamDto } from './dto/task-id.request.dto';
import { TaskWatcherListResponseDto } from './dto/task.response.dto';
import { ApiIfMatch, expectedVersionFrom } from './task-http-headers';

/**
 * Watching a task: watchers see it (members included) and hear about its completion, cancellation,
 * comments and edits. Idempotent; records no event and does not change the task's version.
 */
@ApiTags('tasks')
@Controller('tasks/:id/watchers')
export class TaskWatchersController {
  constructor(
    private readonly watching: TaskWatcherService,
    private readonly queries: TaskQueryService,
  ) {}

  @Put('me')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'tasks.watch',
    summary: 'Watch the task (idempotent)',
    description: 'Watchers are told about completion, cancellation, comments and updates. Watching again changes nothing.',
  })
  @ApiIfMatch()
  @ApiNoContentResponse({ description: 'Watching' })
  @ApiProblems(400, 401, 404, 412, 429)
  async watch(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    const expected = await expectedVersionFrom(ifMatch, () => this.currentVersion(user, params.id));
    await this.watching.watch(user, params.id, expected);
  }

  @Delete('me')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'tasks.unwatch',
    summary: 'Stop watching the task (idempotent)',
    description: 'A member who saw the task only by watching it no longer sees it afterwards.',
  })
  @ApiIfMatch()
  @ApiNoContentResponse({ description: 'Not watching' })
  @ApiProblems(400, 401, 404, 412, 429)
  async unwatch(
    @AuthUser() user: CurrentUser,
    @Param() params: TaskIdParamDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    const expected = await expectedVersionFrom(ifMatch, () => this.currentVersion(user, params.id));
    await this.watching.unwatch(user, params.id, expected);
  }

  @Get()
  @ApiOperation({
    operationId: 'tasks.listWatchers',
    summary: 'Who watches the task',
    description: 'Every watcher in one page, oldest first (`nextCursor` is always null).',
  })
  @ApiOkResponse({ type: TaskWatcherListResponseDto })
  @ApiProblems(400, 401, 404, 429)
  async list(@AuthUser() user: CurrentUser, @Param() params: TaskIdParamDto): Promise<Page<TaskWatcherView>> {
    return { data: await this.watching.list(user, params.id), nextCursor: null };
  }

  private async currentVersion(user: CurrentUser, taskId: string): Promise<number> {
    return (await this.queries.get(user, taskId)).version;
  }
}
