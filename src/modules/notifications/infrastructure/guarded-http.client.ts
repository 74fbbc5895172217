import { Injectable } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { AddressResolver } from '../application/ports/address-resolver.port';
import { hostOf, refusedAmong } from '../application/webhook-target-policy';
import { DeliveryFailure } from '../domain/delivery-failure';

export interface GuardedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The start of the response body (for the ledger's lastError). */
  excerpt: string;
}

const MAX_EXCERPT = 1024;

/**
 * POST with the send-time half of the SSRF guard: resolve the host, refuse if *any* address is
 * not public (unless private targets are allowed), then connect to the checked address itself —
 * the socket's lookup is pinned to it, so a second DNS answer (rebinding) cannot slip in between
 * check and connect. TLS still verifies the certificate against the URL's host name. Redirects
 * are not followed (a 3xx is a failure like any non-2xx).
 */
@Injectable()
export class GuardedHttpClient {
  constructor(private readonly resolver: AddressResolver) {}

  async post(
    url: URL,
    headers: Record<string, string>,
    body: string,
    options: { allowPrivate: boolean; timeoutMs: number },
  ): Promise<GuardedResponse> {
    const host = hostOf(url);
    let addresses: string[];
    try {
      addresses = await this.resolver.resolve(host);
    } catch (err) {
      throw DeliveryFailure.recoverable(`DNS: ${host} does not resolve (${(err as Error).message})`);
    }
    if (!options.allowPrivate) {
      const refused = refusedAmong(addresses);
      if (refused.length) {
        throw DeliveryFailure.unrecoverable(
          `refused by the SSRF guard: ${host} resolves to ${refused.map((r) => `${r.address} (${r.class.replace('_', '-')})`).join(', ')}`,
        );
      }
    }
    const address = addresses[0];
    const family = isIP(address) === 6 ? 6 : 4;
    const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all)
        (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<GuardedResponse>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() },
          lookup: pinned,
          timeout: options.timeoutMs,
          ...(url.protocol === 'https:' && isIP(host) === 0 ? { servername: host } : {}),
        },
        (res) => {
          let excerpt = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (excerpt.length < MAX_EXCERPT) excerpt += chunk.slice(0, MAX_EXCERPT - excerpt.length);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, excerpt }));
          res.on('error', reject);
        },
      );
      const deadline = setTimeout(
        () => req.destroy(Object.assign(new Error(`no response within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
        options.timeoutMs,
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`socket idle for ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.on('close', () => clearTimeout(deadline));
      req.end(body);
    });
  }
}
