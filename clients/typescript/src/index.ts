import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** The API's main shapes, by their contract names. */
export type Schemas = components['schemas'];
export type Task = Schemas['TaskResponseDto'];
export type User = Schemas['UserResponseDto'];
export type Session = Schemas['SessionResponseDto'];
export type TaskEvent = Schemas['TaskEventResponseDto'];
export type Notification = Schemas['NotificationResponseDto'];
export type Delivery = Schemas['DeliveryResponseDto'];
export type Webhook = Schemas['WebhookResponseDto'];
/** RFC 9457 problem document of every error response (`error` of a failed call). */
export type Problem = Schemas['ProblemDto'];

export type TaskwireClient = Client<paths>;

export interface TaskwireClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /**
   * Bearer access token, or a function returning the current one (called per request, so a
   * refreshed token is picked up without a new client). Omit for the public routes.
   */
  token?: string | null | (() => string | null | undefined | Promise<string | null | undefined>);
}

/**
 * A typed client for taskwire: `createTaskwireClient('http://localhost:3000', { token })`, then
 * `client.GET('/api/v1/tasks/{id}', { params: { path: { id } } })`. Paths, parameters, bodies,
 * responses and problem documents are typed from the OpenAPI document (src/schema.d.ts).
 * `baseUrl` is the server's origin; the paths carry `/api/v1`.
 */
export function createTaskwireClient(baseUrl: string, options: TaskwireClientOptions = {}): TaskwireClient {
  const { token, ...rest } = options;
  const client = createClient<paths>({ ...rest, baseUrl: baseUrl.replace(/\/+$/, '') });
  if (token) client.use(bearer(token));
  return client;
}

function bearer(token: NonNullable<TaskwireClientOptions['token']>): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === 'function' ? await token() : token;
      if (value && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${value}`);
      return request;
    },
  };
}
