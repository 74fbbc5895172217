/** Resolves a host name to every address it has (A and AAAA), as the system resolver sees them. */
export abstract class AddressResolver {
  /** IP literals resolve to themselves. Throws when the name does not resolve. */
  abstract resolve(host: string): Promise<string[]>;
}
