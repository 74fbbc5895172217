import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock, ConflictError, FieldError, NotFoundError, ValidationError, newId } from '../../../kernel';
import { Page } from '../../../platform/http/pagination';
import { EVENT_TYPES } from '../../events';
import { DeliveryView, toDeliveryView } from '../domain/delivery';
import { WEBHOOK_CHANNEL } from '../domain/notification-channels';
import {
  SECRET_ROTATION_OVERLAP_MS,
  WEBHOOK_SECRET_PREFIX,
  WebhookEndpoint,
  checkEventFilter,
  checkWebhookUrl,
} from '../domain/webhook-endpoint';
import { DeliveryLedgerService } from './delivery-ledger.service';
import { decodeIdCursor, encodeIdCursor } from './notification-cursors';
import { DeliveryLedger } from './ports/delivery-ledger.port';
import { AfterCommit } from './ports/after-commit.port';
import { DeliveryQueue } from './ports/delivery-queue.port';
import { WebhookEndpointPatch, WebhookEndpointRepository } from './ports/webhook-endpoint.repository.port';
import { WebhookTargetPolicy } from './webhook-target-policy';

/** A webhook endpoint as the API shows it: never its secret (except once, see WebhookWithSecret). */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  active: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  /** While set and in the future, the previous secret still signs too (after a rotation). */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookWithSecret extends WebhookView {
  secret: string;
}

export interface CreateWebhookCommand {
  url: string;
  events: unknown;
  description?: string | null;
}

export interface UpdateWebhookCommand {
  url?: string;
  events?: unknown;
  description?: string | null;
  active?: boolean;
}

export function toWebhookView(e: WebhookEndpoint, now: Date): WebhookView {
  const overlap = e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > now.getTime() ? e.previousSecretExpiresAt : null;
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    active: e.active,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt ? e.disabledAt.toISOString() : null,
    failingSince: e.failingSince ? e.failingSince.toISOString() : null,
    previousSecretExpiresAt: overlap ? overlap.toISOString() : null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Standard Webhooks secrets: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

const notFound = () => new NotFoundError('Webhook', 'WEBHOOK_NOT_FOUND');

/** Admin management of webhook endpoints (`webhooks:manage`). */
@Injectable()
export class WebhookAdministrationService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly ledger: DeliveryLedger,
    private readonly ledgerQueries: DeliveryLedgerService,
    private readonly queue: DeliveryQueue,
    private readonly policy: WebhookTargetPolicy,
    private readonly afterCommit: AfterCommit,
    private readonly clock: Clock,
  ) {}

  async create(command: CreateWebhookCommand): Promise<WebhookWithSecret> {
    const { url, events } = await this.checkFields(command.url, command.events);
    const now = this.clock.now();
    const endpoint: WebhookEndpoint = {
      id: newId(),
      url,
      events,
      description: command.description ?? null,
      secret: generateWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      active: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.endpoints.create(endpoint);
    return { ...toWebhookView(endpoint, now), secret: endpoint.secret };
  }

  async list(page: { limit: number; cursor?: string }): Promise<Page<WebhookView>> {
    const after = page.cursor ? decodeIdCursor('w', page.cursor) : null;
    const result = await this.endpoints.list(page.limit, after);
    const now = this.clock.now();
    return {
      data: result.items.map((e) => toWebhookView(e, now)),
      nextCursor: result.nextAfterId ? encodeIdCursor('w', result.nextAfterId) : null,
    };
  }

  async get(id: string): Promise<WebhookView> {
    return toWebhookView(await this.require(id), this.clock.now());
  }

  async update(id: string, command: UpdateWebhookCommand): Promise<WebhookView> {
    await this.require(id);
    const patch: WebhookEndpointPatch = {};
    const checked = await this.checkFields(command.url, command.events);
    if (command.url !== undefined) patch.url = checked.url;
    if (command.events !== undefined) patch.events = checked.events;
    if (command.description !== undefined) patch.description = command.description;
    if (command.active !== undefined) patch.active = command.active;
    const updated = await this.endpoints.update(id, patch, this.clock.now());
    if (!updated) throw notFound();
    return toWebhookView(updated, this.clock.now());
  }

  async delete(id: string): Promise<void> {
    if (!(await this.endpoints.delete(id))) throw notFound();
  }

  /** New secret (returned once); the previous one keeps signing alongside it for 24 h. */
  async rotateSecret(id: string): Promise<WebhookWithSecret> {
    await this.require(id);
    const now = this.clock.now();
    const secret = generateWebhookSecret();
    const rotated = await this.endpoints.rotateSecret(id, secret, new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS), now);
    if (!rotated) throw notFound();
    return { ...toWebhookView(rotated, now), secret };
  }

  async deliveries(id: string, page: { limit: number; cursor?: string }): Promise<Page<DeliveryView>> {
    await this.require(id);
    return this.ledgerQueries.list({ webhookId: id }, page);
  }

  /**
   * Sends a delivery of this endpoint again now, whatever became of it (sent, failed, dead): an
   * explicit admin action, unlike retries. 409 while it is being sent or the endpoint is disabled.
   */
  async redeliver(id: string, deliveryId: string): Promise<DeliveryView> {
    const endpoint = await this.require(id);
    const delivery = await this.ledger.find(deliveryId);
    if (!delivery || delivery.channel !== WEBHOOK_CHANNEL || delivery.webhookId !== id)
      throw new NotFoundError('Delivery', 'DELIVERY_NOT_FOUND');
    if (!endpoint.active) throw new ConflictError('WEBHOOK_DISABLED', 'The endpoint is disabled; re-enable it (PATCH active: true) first');
    const requeued = await this.ledger.requeue(deliveryId, ['pending', 'failed', 'sent', 'dead']);
    if (!requeued) throw new ConflictError('DELIVERY_IN_PROGRESS', 'The delivery is being sent right now; try again shortly');
    // Queued once the re-queue commits (the request runs in a transaction).
    await this.afterCommit.run(async () => {
      await this.queue.ensureQueued([{ id: requeued.id, channel: requeued.channel }]);
    });
    return toDeliveryView(requeued);
  }

  private async require(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findById(id);
    if (!endpoint) throw notFound();
    return endpoint;
  }

  /**
   * Shape checks of `url` and `events` together, so one 400 lists every bad field (as POST /tasks
   * does); only then the address policy (a DNS lookup, its own code WEBHOOK_URL_NOT_PUBLIC).
   * Fields left undefined (a PATCH that omits them) are not checked.
   */
  private async checkFields<U extends string | undefined>(rawUrl: U, rawEvents: unknown): Promise<{ url: U; events: string[] }> {
    const errors: FieldError[] = [];
    const url = rawUrl === undefined ? undefined : checkWebhookUrl(rawUrl);
    if (url && 'error' in url) errors.push({ field: 'url', message: url.error });
    const events = rawEvents === undefined ? undefined : checkEventFilter(rawEvents, EVENT_TYPES);
    if (events && 'errors' in events) errors.push(...events.errors);
    if (errors.length) throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    if (url && 'url' in url) await this.policy.assertAllowed(url.url);
    return { url: (url && 'url' in url ? url.url.toString() : undefined) as U, events: events && 'events' in events ? events.events : [] };
  }
}
