import { Injectable } from '@nestjs/common';
import { ValidationError } from '../../../kernel';
import { AddressClass, classifyIpAddress } from '../domain/ip-address-policy';
import { NotificationSettings } from './notification-settings';
import { AddressResolver } from './ports/address-resolver.port';

export interface RefusedAddress {
  address: string;
  class: AddressClass;
}

/** The host part of a URL as a resolver wants it (IPv6 literals without brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Every non-public address among these (loopback, private, link-local, CGNAT, metadata, …). */
export function refusedAmong(addresses: readonly string[]): RefusedAddress[] {
  return addresses.map((address) => ({ address, class: classifyIpAddress(address) })).filter((a) => a.class !== 'public');
}

/**
 * The create/update half of the SSRF guard: a webhook URL whose host resolves to any non-public
 * address is refused (400 WEBHOOK_URL_NOT_PUBLIC) unless WEBHOOK_ALLOW_PRIVATE=true. The send-time
 * half (infrastructure) resolves again, checks every address and connects to a checked one, so DNS
 * that changes after creation (rebinding) does not get through either.
 */
@Injectable()
export class WebhookTargetPolicy {
  constructor(
    private readonly resolver: AddressResolver,
    private readonly settings: NotificationSettings,
  ) {}

  async assertAllowed(url: URL): Promise<void> {
    if (this.settings.allowPrivateWebhookTargets) return;
    const host = hostOf(url);
    let addresses: string[];
    try {
      addresses = await this.resolver.resolve(host);
    } catch (err) {
      throw new ValidationError(
        `url: ${host} does not resolve`,
        [{ field: 'url', message: `host ${host} does not resolve (${(err as Error).message})` }],
        'WEBHOOK_URL_UNRESOLVABLE',
      );
    }
    const refused = refusedAmong(addresses);
    if (refused.length) {
      const what = refused.map((r) => `${r.address} (${r.class.replace('_', '-')})`).join(', ');
      throw new ValidationError(
        `url: ${host} resolves to a non-public address: ${what}; webhooks may only target public addresses (WEBHOOK_ALLOW_PRIVATE=true lifts this)`,
        [{ field: 'url', message: `resolves to a non-public address: ${what}` }],
        'WEBHOOK_URL_NOT_PUBLIC',
      );
    }
  }
}
