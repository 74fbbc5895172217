import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_PREFIX } from '../../../platform/http/http-server';
import { ApiPageResponse, ApiProblems } from '../../../platform/http/openapi';
import { PageQueryDto, pageLimit } from '../../../platform/http/pagination';
import { RequirePermissions } from '../../users';
import { WebhookAdministrationService } from '../application/webhook-administration.service';
import { DeliveryResponseDto } from './dto/delivery.dto';
import {
  CreateWebhookRequestDto,
  UpdateWebhookRequestDto,
  WebhookDeliveryParamsDto,
  WebhookIdParamDto,
  WebhookResponseDto,
  WebhookWithSecretResponseDto,
} from './dto/webhook.dto';

/** Webhook endpoints (admins): Standard Webhooks signatures, secret rotation, delivery history. */
@ApiTags('webhooks')
@RequirePermissions('webhooks:manage')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookAdministrationService) {}

  @Post()
  @ApiOperation({
    operationId: 'webhooks.create',
    summary: 'Subscribe an endpoint to events',
    description: 'The answer carries the signing `secret` (`whsec_…`), once: no other response ever shows it.',
  })
  @ApiCreatedResponse({
    type: WebhookWithSecretResponseDto,
    headers: {
      Location: {
        description: 'URL of the new endpoint',
        schema: { type: 'string', example: '/api/v1/webhooks/019ad0c6-1f2e-7c3a-8f2d-4b6e9a1c7d30' },
      },
    },
  })
  @ApiProblems(400, 401, 403, 413, 415, 429)
  async create(@Body() body: CreateWebhookRequestDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const created = await this.webhooks.create({ url: body.url, events: body.events, description: body.description });
    reply.header('location', `/${API_PREFIX}/webhooks/${created.id}`);
    return created;
  }

  @Get()
  @ApiOperation({
    operationId: 'webhooks.list',
    summary: 'Webhook endpoints, oldest first',
    description: 'Secrets are never listed (only returned on create and rotate).',
  })
  @ApiPageResponse(WebhookResponseDto)
  @ApiProblems(400, 401, 403, 429)
  list(@Query() query: PageQueryDto) {
    return this.webhooks.list({ limit: pageLimit(query.limit), cursor: query.cursor });
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'webhooks.get',
    summary: 'One webhook endpoint',
    description: 'Its URL, event filter, state (active, or disabled with a reason) and failure record; not its secret.',
  })
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  get(@Param() params: WebhookIdParamDto) {
    return this.webhooks.get(params.id.toLowerCase());
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'webhooks.update',
    summary: 'Change an endpoint’s URL, events or description; disable or re-enable it',
    description: 'Only the fields given change; every invalid field is listed in one 400. `active: true` clears the failure record.',
  })
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiProblems(400, 401, 403, 404, 413, 415, 429)
  update(@Param() params: WebhookIdParamDto, @Body() body: UpdateWebhookRequestDto) {
    return this.webhooks.update(params.id.toLowerCase(), body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'webhooks.delete',
    summary: 'Delete an endpoint',
    description: 'Its ledger rows stay; pending ones end as dead.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404, 429)
  async delete(@Param() params: WebhookIdParamDto): Promise<void> {
    await this.webhooks.delete(params.id.toLowerCase());
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'webhooks.rotateSecret',
    summary: 'Replace the signing secret',
    description:
      'Returns the new secret, once. For 24 h the old secret signs too: `webhook-signature` then carries two signatures, so receivers can switch without losing messages.',
  })
  @ApiOkResponse({ type: WebhookWithSecretResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  rotateSecret(@Param() params: WebhookIdParamDto) {
    return this.webhooks.rotateSecret(params.id.toLowerCase());
  }

  @Get(':id/deliveries')
  @ApiOperation({
    operationId: 'webhooks.listDeliveries',
    summary: 'The endpoint’s delivery ledger rows, newest first',
    description: 'One row per event sent (or to be sent) to this endpoint, with status, attempts and the last error.',
  })
  @ApiPageResponse(DeliveryResponseDto)
  @ApiProblems(400, 401, 403, 404, 429)
  deliveries(@Param() params: WebhookIdParamDto, @Query() query: PageQueryDto) {
    return this.webhooks.deliveries(params.id.toLowerCase(), { limit: pageLimit(query.limit), cursor: query.cursor });
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'webhooks.redeliver',
    summary: 'Send one of the endpoint’s deliveries again, now',
    description:
      'Also after it was sent or went dead (same `webhook-id`, so receivers can deduplicate). 409 while it is being sent, or while the endpoint is disabled.',
  })
  @ApiAcceptedResponse({ type: DeliveryResponseDto, description: 'Queued; the delivery as it is now' })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  redeliver(@Param() params: WebhookDeliveryParamsDto) {
    return this.webhooks.redeliver(params.id.toLowerCase(), params.deliveryId.toLowerCase());
  }
}
