import { Injectable } from '@nestjs/common';
import { DeadLetterCount, DeadLetterSources } from './ports/dead-letter-sources.port';

/** The in-process registry behind DeadLetterSources (one per application). */
@Injectable()
export class RegisteredDeadLetterSources extends DeadLetterSources {
  private readonly sources = new Map<string, DeadLetterCount>();

  register(name: string, count: DeadLetterCount): void {
    if (this.sources.has(name)) throw new Error(`dead letter source "${name}" is registered twice`);
    this.sources.set(name, count);
  }

  async total(): Promise<number | null> {
    if (this.sources.size === 0) return null;
    const counts = await Promise.all([...this.sources.values()].map((count) => count()));
    return counts.reduce((sum, n) => sum + n, 0);
  }
}
