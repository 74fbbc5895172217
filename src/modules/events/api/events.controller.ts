import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUuid } from '../../../kernel';
import { RequestValidationError } from '../../../platform/http';
import { ApiPageResponse, ApiProblems } from '../../../platform/http/openapi';
import { CurrentSession, RequirePermissions } from '../../users';
import type { AuthSession } from '../../users';
import { EventAuditService } from '../application/event-audit.service';
import { EventStreamService } from '../infrastructure/event-stream.service';
import { EventResponseDto } from './dto/event.response.dto';
import { EventIdParamDto, ListEventsQueryDto } from './dto/list-events.request.dto';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly audit: EventAuditService,
    private readonly streams: EventStreamService,
  ) {}

  @Get()
  @RequirePermissions('events:read')
  @ApiOperation({
    operationId: 'events.list',
    summary: 'The audit trail, oldest first (admins and managers)',
    description: 'Every recorded event, filtered by `type`, `aggregateId`, `actorId` and an `after`/`before` time window.',
  })
  @ApiPageResponse(EventResponseDto)
  @ApiProblems(400, 401, 403, 429)
  list(@Query() query: ListEventsQueryDto) {
    return this.audit.list(
      {
        type: query.type,
        aggregateId: query.aggregateId,
        actorId: query.actorId,
        after: query.after ? new Date(query.after) : undefined,
        before: query.before ? new Date(query.before) : undefined,
      },
      { limit: query.limit, cursor: query.cursor },
    );
  }

  @Get('stream')
  @ApiOperation({
    operationId: 'events.stream',
    summary: 'Live Server-Sent Events of what the caller may see',
    description:
      'Each message: `id:` event id, `event:` type, `data:` the event as JSON. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to resume without gaps.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Same as the Last-Event-ID header (for clients that cannot set headers)' })
  @ApiOkResponse({ description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 429)
  async stream(
    @CurrentSession() session: AuthSession,
    @Headers('last-event-id') lastEventIdHeader: unknown,
    @Query('lastEventId') lastEventIdQuery: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Checked before the response starts, so both can still be a problem document (400, 429).
    const lastEventId = resumeAfter([
      ['Last-Event-ID', lastEventIdHeader],
      ['lastEventId', lastEventIdQuery],
    ]);
    const slot = this.streams.reserve(session.caller.id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    await this.streams.stream(slot, session, lastEventId, res);
  }

  @Get(':id')
  @RequirePermissions('events:read')
  @ApiOperation({
    operationId: 'events.get',
    summary: 'One event (admins and managers)',
    description: 'With its correlation and causation ids and its payload.',
  })
  @ApiOkResponse({ type: EventResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  get(@Param() params: EventIdParamDto) {
    return this.audit.get(params.id);
  }
}

/**
 * The event id to resume after: the header, else the query parameter. Absent or empty means "from
 * now" (an SSE client sends no id before its first event); anything but an event id (a UUID) is a
 * 400 VALIDATION_FAILED naming the field, never silently ignored.
 */
function resumeAfter(sources: Array<[field: string, value: unknown]>): string | null {
  let found: string | null = null;
  for (const [field, value] of sources) {
    if (value === undefined || value === '') continue;
    if (!isUuid(value)) throw new RequestValidationError([{ field, message: 'must be the id (a UUID) of an event this stream sent' }]);
    found ??= value.toLowerCase();
  }
  return found;
}
