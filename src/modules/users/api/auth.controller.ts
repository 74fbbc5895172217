import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, ApiProblems, Public } from '../../../platform/http';
import { AuthenticationService } from '../application/authentication.service';
import { Session } from '../application/session-issuer.service';
import { UserRegistrationService } from '../application/user-registration.service';
import { CurrentUser } from '../domain/current-user';
import { AuthUser } from './auth.decorators';
import { LoginRequestDto } from './dto/login.request.dto';
import { RefreshTokenRequestDto } from './dto/refresh-token.request.dto';
import { RegisterRequestDto } from './dto/register.request.dto';
import { SessionResponseDto } from './dto/session.response.dto';

/** Sign-up, sign-in, token refresh and sign-out. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registration: UserRegistrationService,
    private readonly authentication: AuthenticationService,
  ) {}

  @Public()
  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'auth.register',
    summary: 'Create an account (always a member) and sign in',
    description:
      '403 `REGISTRATION_DISABLED` when `ALLOW_REGISTRATION=false`; 409 `EMAIL_TAKEN` (case-insensitive); rate limited per IP and email.',
    security: [],
  })
  @ApiBody({ type: RegisterRequestDto })
  @ApiCreatedResponse({ type: SessionResponseDto, description: 'The new account, signed in; `Location` names the new user' })
  @ApiProblems(400, 403, 409, 413, 415, 429)
  async register(
    @Body() body: RegisterRequestDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Session> {
    const session = await this.registration.register(body, { ip: request.ip });
    reply.header('location', `/${API_PREFIX}/users/${session.user.id}`); // every 201 names what it created
    return session;
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'auth.login',
    summary: 'Sign in with email and password',
    description:
      'Unknown email, wrong password and deactivated account all answer 401 `INVALID_CREDENTIALS`. Rate limited per IP and email.',
    security: [],
  })
  @ApiBody({ type: LoginRequestDto })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiProblems(400, 401, 413, 415, 429)
  login(@Body() body: LoginRequestDto, @Req() request: FastifyRequest): Promise<Session> {
    return this.authentication.login(body, { ip: request.ip });
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'auth.refresh',
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'The presented refresh token stops working. Presenting one that was already used is 401 `INVALID_REFRESH_TOKEN` and signs out its whole session (all tokens of its family).',
    security: [],
  })
  @ApiBody({ type: RefreshTokenRequestDto })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiProblems(400, 401, 413, 415, 429)
  refresh(@Body() body: RefreshTokenRequestDto, @Req() request: FastifyRequest): Promise<Session> {
    return this.authentication.refresh(body.refreshToken, { ip: request.ip });
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'auth.logout',
    summary: 'Sign out the session of a refresh token',
    description: 'The refresh token (and its whole session) stops working. An unknown token is ignored (still 204).',
  })
  @ApiBody({ type: RefreshTokenRequestDto })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiProblems(400, 401, 413, 415, 429)
  async logout(@Body() body: RefreshTokenRequestDto, @AuthUser() caller: CurrentUser): Promise<void> {
    await this.authentication.logout(body.refreshToken, caller.id);
  }
}
