import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../../platform/http/openapi';
import { RequirePermissions } from '../../users';
import { OperationalStatusService } from '../infrastructure/operational-status.service';

@ApiTags('operations')
@Controller('admin')
export class AdminStatusController {
  constructor(private readonly status: OperationalStatusService) {}

  @Get('status')
  @RequirePermissions('ops:admin')
  @ApiOperation({
    operationId: 'admin.getStatus',
    summary: 'Operational summary (admins): queue depths, outbox lag, dead letters, processes and versions',
    description: 'A snapshot for operators; for monitoring over time scrape `/metrics`.',
  })
  @ApiOkResponse({
    description: 'Status',
    schema: {
      type: 'object',
      example: {
        version: '0.1.0',
        versionsRunning: ['0.1.0'],
        queueBackend: 'redis',
        queues: { events: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 12 } },
        outbox: { unpublished: 0, oldestUnpublishedAgeSeconds: 0 },
        deadLetters: 0,
        processes: [
          {
            id: '019a…',
            role: 'worker',
            hostname: 'w1',
            pid: 42,
            version: '0.1.0',
            startedAt: '2026-11-29T10:00:00.000Z',
            beatAt: '2026-11-29T10:05:00.000Z',
            alive: true,
          },
        ],
        workersAlive: 1,
        checkedAt: '2026-11-29T10:05:01.000Z',
      },
    },
  })
  @ApiProblems(401, 403, 429)
  get() {
    return this.status.status();
  }
}
