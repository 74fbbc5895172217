import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { AddressResolver } from '../application/ports/address-resolver.port';
import { isIpLiteral } from '../domain/ip-address-policy';

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every A and AAAA answer. */
@Injectable()
export class DnsAddressResolver extends AddressResolver {
  async resolve(host: string): Promise<string[]> {
    const bare = host.replace(/^\[|\]$/g, '');
    if (isIpLiteral(bare)) return [bare];
    const answers = await lookup(bare, { all: true, verbatim: true });
    if (answers.length === 0) throw new Error(`${bare} has no addresses`);
    return answers.map((a) => a.address);
  }
}
