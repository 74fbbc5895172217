import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { CLS_CAUSATION_ID, CLS_CORRELATION_ID } from '../../../platform/context';
import { EventOriginContext } from '../application/ports/event-origin.port';
import { EventOrigin } from '../application/ports/event-store.port';

/** Reads the correlation (request id, or inherited) and causation ids from the ambient context. */
@Injectable()
export class ClsEventOrigin extends EventOriginContext {
  constructor(private readonly cls: ClsService) {
    super();
  }

  current(): EventOrigin {
    if (!this.cls.isActive()) return { correlationId: null, causationId: null };
    const correlationId = this.cls.get<string | undefined>(CLS_CORRELATION_ID) ?? this.cls.getId() ?? null;
    return { correlationId: correlationId || null, causationId: this.cls.get<string | undefined>(CLS_CAUSATION_ID) ?? null };
  }
}
