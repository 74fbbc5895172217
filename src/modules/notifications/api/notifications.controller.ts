import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, ApiProblems } from '../../../platform/http/openapi';
import { pageLimit } from '../../../platform/http/pagination';
import { AuthUser } from '../../users';
import type { CurrentUser } from '../../users';
import { NotificationInboxService } from '../application/notification-inbox.service';
import { ListNotificationsQueryDto, NotificationIdParamDto, NotificationResponseDto, UnreadCountResponseDto } from './dto/notification.dto';

/** The caller's own in-app notifications. */
@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly inbox: NotificationInboxService) {}

  @Get()
  @ApiOperation({
    operationId: 'notifications.list',
    summary: 'Your in-app notifications, newest first',
    description: '`?unread=true` lists only unread ones.',
  })
  @ApiPageResponse(NotificationResponseDto)
  @ApiProblems(400, 401, 429)
  list(@AuthUser() user: CurrentUser, @Query() query: ListNotificationsQueryDto) {
    return this.inbox.list(user.id, query.unread === 'true', { limit: pageLimit(query.limit), cursor: query.cursor });
  }

  @Get('unread-count')
  @ApiOperation({
    operationId: 'notifications.countUnread',
    summary: 'How many of your notifications are unread',
    description: 'For a badge: cheaper than listing with `unread=true`.',
  })
  @ApiOkResponse({ type: UnreadCountResponseDto })
  @ApiProblems(401, 429)
  unreadCount(@AuthUser() user: CurrentUser) {
    return this.inbox.unreadCount(user.id);
  }

  @Post('read-all')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'notifications.readAll',
    summary: 'Mark all your notifications read',
    description: 'Idempotent; only the caller’s own notifications.',
  })
  @ApiNoContentResponse({ description: 'All read' })
  @ApiProblems(401, 429)
  async readAll(@AuthUser() user: CurrentUser): Promise<void> {
    await this.inbox.markAllRead(user.id);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'notifications.read',
    summary: 'Mark one of your notifications read',
    description: 'Idempotent. Someone else’s notification is 404.',
  })
  @ApiNoContentResponse({ description: 'Read' })
  @ApiProblems(400, 401, 404, 429)
  async read(@AuthUser() user: CurrentUser, @Param() params: NotificationIdParamDto): Promise<void> {
    await this.inbox.markRead(user.id, params.id.toLowerCase());
  }
}
