import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, ApiProblems } from '../../../platform/http/openapi';
import { pageLimit } from '../../../platform/http/pagination';
import { RequirePermissions } from '../../users';
import { DeliveryLedgerService } from '../application/delivery-ledger.service';
import { PublicDeliveryStatus } from '../domain/delivery';
import { DeliveryIdParamDto, DeliveryResponseDto, ListDeliveriesQueryDto } from './dto/delivery.dto';

/** The delivery ledger: for any event, who was told through which channel — and why anyone was not. */
@ApiTags('notifications')
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveryLedgerService) {}

  @Get()
  @RequirePermissions('deliveries:read')
  @ApiOperation({
    operationId: 'deliveries.list',
    summary: 'Delivery ledger rows, newest first (admins and managers)',
    description:
      'One row per (event, channel, recipient) and per (event, webhook endpoint), including `suppressed` rows with their reason.',
  })
  @ApiPageResponse(DeliveryResponseDto)
  @ApiProblems(400, 401, 403, 429)
  list(@Query() query: ListDeliveriesQueryDto) {
    return this.deliveries.list(
      {
        eventId: query.eventId,
        recipientId: query.recipientId,
        channel: query.channel,
        status: query.status as PublicDeliveryStatus | undefined,
      },
      { limit: pageLimit(query.limit), cursor: query.cursor },
    );
  }

  @Post(':id/retry')
  @HttpCode(202)
  @RequirePermissions('deliveries:retry')
  @ApiOperation({
    operationId: 'deliveries.retry',
    summary: 'Re-queue a dead delivery (admins)',
    description: 'The delivery becomes `pending` with a fresh retry schedule. Anything but a `dead` delivery is 409 DELIVERY_NOT_DEAD.',
  })
  @ApiAcceptedResponse({ type: DeliveryResponseDto, description: 'Queued; the delivery as it is now' })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  retry(@Param() params: DeliveryIdParamDto) {
    return this.deliveries.retry(params.id.toLowerCase());
  }
}
