/**
 * JSON Schema descriptions of event payloads: the published language other processes read (the
 * AsyncAPI document at /docs/asyncapi.json, webhook receivers, SSE clients). Each context describes
 * its own events next to their TypeScript payload types, and `payloadSchema` makes the compiler
 * hold the two together: every member of the type is a property, no property is unknown to it, and
 * `required` names exactly its non-optional members. The member *types* are checked by tests that
 * validate real emitted events against the schemas.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

type RequiredKeysOf<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];

export type PayloadSchema<T> = {
  readonly type: 'object';
  readonly description?: string;
  readonly properties: { readonly [K in keyof T]-?: JsonSchema };
  readonly required: readonly RequiredKeysOf<T>[];
};

type AllRequiredListed<T, R extends readonly unknown[]> = [Exclude<RequiredKeysOf<T>, R[number]>] extends [never]
  ? unknown
  : { readonly required: { missingRequiredMembers: Exclude<RequiredKeysOf<T>, R[number]> } };

/** `payloadSchema<TaskAssignedPayload>()({ type: 'object', properties: {...}, required: [...] })`. */
export function payloadSchema<T>() {
  return <const R extends readonly RequiredKeysOf<T>[]>(
    schema: PayloadSchema<T> & { readonly required: R } & AllRequiredListed<T, R>,
  ): PayloadSchema<T> => schema;
}

/** One event type as the outside world sees it. */
export interface PublishedEvent {
  /** `task`, `user`, `webhook`: the `aggregateType` every event of this type carries. */
  readonly aggregateType: string;
  /** One line: what happened. */
  readonly summary: string;
  /** The schema of `payload`. */
  readonly payload: JsonSchema;
}
