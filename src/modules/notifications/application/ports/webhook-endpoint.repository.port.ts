import { WebhookEndpoint } from '../../domain/webhook-endpoint';

export interface WebhookEndpointPatch {
  url?: string;
  events?: string[];
  description?: string | null;
  /** true re-enables (clears the failure record); false disables by hand. */
  active?: boolean;
}

/** Webhook endpoints (`notifications.webhook_endpoints`). Writes join the ambient transaction. */
export abstract class WebhookEndpointRepository {
  abstract create(endpoint: WebhookEndpoint): Promise<void>;
  abstract findById(id: string): Promise<WebhookEndpoint | null>;
  /** Oldest first. */
  abstract list(limit: number, afterId: string | null): Promise<{ items: WebhookEndpoint[]; nextAfterId: string | null }>;
  abstract update(id: string, patch: WebhookEndpointPatch, now: Date): Promise<WebhookEndpoint | null>;
  abstract delete(id: string): Promise<boolean>;
  abstract rotateSecret(id: string, secret: string, previousExpiresAt: Date, now: Date): Promise<WebhookEndpoint | null>;
  /** Active endpoints subscribed to any of these types (or to `*`), in one read; oldest first. */
  abstract activeSubscribers(eventTypes: readonly string[]): Promise<WebhookEndpoint[]>;
  /** Records a failed attempt: starts the failing period unless one is running; returns the endpoint after. */
  abstract recordFailure(id: string, now: Date): Promise<WebhookEndpoint | null>;
  abstract recordSuccess(id: string): Promise<void>;
  /** Disables an active endpoint; false when it was not active (someone else got there first). */
  abstract disable(id: string, reason: string, now: Date): Promise<boolean>;
}
