import { EventView } from '../../../events';
import { WebhookEndpoint } from '../../domain/webhook-endpoint';

/** Signs and POSTs one event to one endpoint (SSRF-guarded). Throws on anything but a 2xx. */
export abstract class WebhookDispatcher {
  abstract dispatch(endpoint: WebhookEndpoint, deliveryId: string, event: EventView): Promise<void>;
}
