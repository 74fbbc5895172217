import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../../platform/http/openapi';
import { AuthUser } from '../../users';
import type { CurrentUser } from '../../users';
import { NotificationPreferencesService } from '../application/notification-preferences.service';
import { NotificationPreferencesResponseDto, PREFERENCES_UPDATE_SCHEMA } from './dto/preferences.dto';

/** The caller's own notification preferences: (channel, event type) → on/off, on by default. */
@ApiTags('notifications')
@Controller('notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get()
  @ApiOperation({
    operationId: 'preferences.get',
    summary: 'Your notification preferences',
    description: 'Every channel × every task event type; unset pairs are on.',
  })
  @ApiOkResponse({ type: NotificationPreferencesResponseDto })
  @ApiProblems(401, 429)
  get(@AuthUser() user: CurrentUser) {
    return this.preferences.get(user.id);
  }

  @Put()
  @ApiOperation({
    operationId: 'preferences.update',
    summary: 'Change your notification preferences',
    description:
      'Partial maps are fine; the answer is the full, updated preferences. Turning a pair off records later deliveries as `suppressed` (reason `preference`).',
  })
  @ApiBody({ schema: PREFERENCES_UPDATE_SCHEMA })
  @ApiOkResponse({ type: NotificationPreferencesResponseDto })
  @ApiProblems(400, 401, 413, 415, 429)
  update(@AuthUser() user: CurrentUser, @Body() body: Record<string, unknown>) {
    return this.preferences.update(user.id, body);
  }
}
