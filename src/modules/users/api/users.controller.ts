import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_PREFIX, ApiPageResponse, ApiProblems } from '../../../platform/http';
import { UserAdministrationService, UserPage } from '../application/user-administration.service';
import { UserProfileService } from '../application/user-profile.service';
import { UserView } from '../application/user.view';
import { CurrentUser } from '../domain/current-user';
import { AuthUser, RequirePermissions } from './auth.decorators';
import { CreateUserRequestDto } from './dto/create-user.request.dto';
import { ListUsersRequestDto } from './dto/list-users.request.dto';
import { UpdateMeRequestDto } from './dto/update-me.request.dto';
import { UpdateUserRequestDto } from './dto/update-user.request.dto';
import { UserResponseDto } from './dto/user.response.dto';
import { UuidParamPipe } from './uuid-param.pipe';

/** The caller's own account, the team directory, and user administration (admins). */
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly profile: UserProfileService,
    private readonly administration: UserAdministrationService,
  ) {}

  @Get('me')
  @ApiOperation({
    operationId: 'users.getMe',
    summary: 'The signed-in user',
    description: 'The caller’s own account, with the role that applies now (a role change takes effect on the next request).',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(401, 429)
  me(@AuthUser() caller: CurrentUser): Promise<UserView> {
    return this.profile.getMe(caller.id);
  }

  @Patch('me')
  @ApiOperation({
    operationId: 'users.updateMe',
    summary: 'Rename yourself or change your password',
    description:
      'A new `password` needs `currentPassword` (400 `CURRENT_PASSWORD_REQUIRED`, 403 `CURRENT_PASSWORD_INVALID`) and signs you out of every other session. ' +
      '409 `CONCURRENT_MODIFICATION` when another request changed your account at the same moment (retry).',
  })
  @ApiBody({ type: UpdateMeRequestDto })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 403, 409, 413, 415, 429)
  updateMe(@AuthUser() caller: CurrentUser, @Body() body: UpdateMeRequestDto): Promise<UserView> {
    return this.profile.updateMe(caller.id, body, caller.sessionId);
  }

  @Get()
  @RequirePermissions('users:read')
  @ApiOperation({
    operationId: 'users.list',
    summary: 'The team directory, oldest first',
    description: 'Every user, filtered by `role`, `active` and `q` (a substring of name or email). Any signed-in user may read it.',
  })
  @ApiPageResponse(UserResponseDto, 'A page of users')
  @ApiProblems(400, 401, 403, 429)
  list(@Query() query: ListUsersRequestDto): Promise<UserPage> {
    return this.administration.listUsers(query);
  }

  @Get(':id')
  @RequirePermissions('users:read')
  @ApiOperation({
    operationId: 'users.get',
    summary: 'One user of the directory',
    description: 'Any signed-in user may read it; an unknown id is 404.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  get(@Param('id', UuidParamPipe) id: string): Promise<UserView> {
    return this.administration.getUser(id);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @RequirePermissions('users:manage')
  @ApiOperation({
    operationId: 'users.create',
    summary: 'Create a user with any role (admins)',
    description:
      'The email must be unused (case-insensitively; 409 EMAIL_TAKEN); the password 8..128 characters. `Location` names the new user.',
  })
  @ApiBody({ type: CreateUserRequestDto })
  @ApiCreatedResponse({ type: UserResponseDto, description: 'Created; `Location` names the new user' })
  @ApiProblems(400, 401, 403, 409, 413, 415, 429)
  async create(
    @AuthUser() caller: CurrentUser,
    @Body() body: CreateUserRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const user = await this.administration.createUser(caller, body);
    reply.header('location', `/${API_PREFIX}/users/${user.id}`);
    return user;
  }

  @Patch(':id')
  @RequirePermissions('users:manage')
  @ApiOperation({
    operationId: 'users.update',
    summary: 'Rename, change the role of, deactivate or reactivate a user (admins)',
    description:
      'Demoting or deactivating the last active admin is 409 `LAST_ADMIN` (409 `CONCURRENT_MODIFICATION` when the user changed at the same moment). ' +
      "Takes effect on the user's very next request.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ type: UpdateUserRequestDto })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 413, 415, 429)
  update(@AuthUser() caller: CurrentUser, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateUserRequestDto): Promise<UserView> {
    return this.administration.updateUser(caller, id, body);
  }
}
