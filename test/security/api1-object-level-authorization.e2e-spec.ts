import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { newId } from '../../src/kernel';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import {
  OpenApiDocument,
  RouteRecorderModule,
  fetchOpenApi,
  jsonBodySchema,
  loadAuthorizationMatrix,
  normaliseRoute,
  operationsOf,
  recordedRoutes,
  routeKey,
  sampleOf,
  toTemplate,
} from './support/openapi';

/**
 * OWASP API1:2023 Broken object-level authorization.
 *
 * Generated from the route table: every served route with a path parameter is sent, by a member,
 * with the id of an object that member may not see (made by someone else), and must answer 404 —
 * exactly what an id that does not exist answers, so existence never leaks. The same request from
 * the object's owner is the control: it must not be a 404, proving the 404 comes from visibility
 * and not from a broken request.
 *
 * Objects are made per kind — the collection segment before the parameter. A route under a
 * collection this file does not know fails the test until a kind is added here, so a new `/:id`
 * route cannot slip through untested. By design some objects are never a member's business: the
 * matrix (test/authorization) says 403 for members there, and then an existing id and a random one
 * must both be 403 (the permission is checked before the lookup, so the answer says nothing about
 * existence). The team directory (`/users/:id`) is visible to everyone by design (docs/api.md).
 */
type Visibility = 'own' | 'all' | 'none';

interface Kind {
  /** What a member sees of this kind (docs/api.md). */
  memberSees: Visibility;
  /** Makes an object the member may not see; `owner` may. Undefined for kinds members see entirely. */
  create?: () => Promise<HiddenObject>;
}

interface HiddenObject {
  id: string;
  owner: Session;
  /** Ids of the object's parts, by path parameter (e.g. the task's comment for `:commentId`). */
  parts?: Record<string, string>;
}

describe('API1 object-level authorization: every /:id route, as a member who may not see the object', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let admin: Session;
  let member: Session;
  let other: Session;
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // Webhooks are made on the loopback receiver, so private addresses are allowed here (API7 tests the guard).
    t = await startTestApp({ extraImports: [RouteRecorderModule], env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    doc = await fetchOpenApi(t);
    admin = await adminSession(t);
    [member, other] = await Promise.all([createUser(t, 'member'), createUser(t, 'member')]);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  /** A task made by the admin and assigned to another member: the member neither made, is assigned to, nor watches it. */
  async function hiddenTask(): Promise<HiddenObject> {
    const res = await t.http.post(
      '/api/v1/tasks',
      { title: 'not yours', labels: ['secret'], assigneeId: other.id },
      { token: admin.accessToken },
    );
    expect(res.status).toBe(201);
    const comment = await t.http.post(`/api/v1/tasks/${res.body.id}/comments`, { body: 'a comment' }, { token: admin.accessToken });
    expect(comment.status).toBe(201);
    return { id: res.body.id, owner: admin, parts: { commentId: comment.body.id } };
  }

  /** An in-app notification of another user (task.assigned tells the assignee). */
  async function othersNotification(): Promise<{ id: string; owner: Session }> {
    await hiddenTask();
    const id = await eventually(async () => {
      const res = await t.http.get('/api/v1/notifications?unread=true', { token: other.accessToken });
      return res.status === 200 && res.body.data.length ? (res.body.data[0].id as string) : undefined;
    }, 20_000);
    return { id, owner: other };
  }

  async function firstOf(path: string): Promise<{ id: string; owner: Session }> {
    const res = await t.http.get(path, { token: admin.accessToken });
    return { id: res.status === 200 && res.body.data?.length ? res.body.data[0].id : newId(), owner: admin };
  }

  const kinds: Record<string, Kind> = {
    tasks: { memberSees: 'own', create: hiddenTask },
    notifications: { memberSees: 'own', create: othersNotification },
    users: { memberSees: 'all' },
    events: { memberSees: 'none', create: () => firstOf('/api/v1/events?limit=1') },
    deliveries: { memberSees: 'none', create: () => firstOf('/api/v1/deliveries?limit=1') },
    webhooks: {
      memberSees: 'none',
      create: async () => {
        const res = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['task.deleted'] }, { token: admin.accessToken });
        return { id: res.status === 201 ? res.body.id : newId(), owner: admin };
      },
    },
  };

  it('member: 404 for objects of others (like unknown ids); 403 where members have no business; owner control is not 404', async () => {
    const matrix = loadAuthorizationMatrix();
    const operations = new Map(operationsOf(doc).map((o) => [routeKey(o), o]));
    const routes = recordedRoutes
      .map((r) => ({ method: r.method, path: normaliseRoute(r.path) }))
      .filter((r) => r.path.startsWith('/api/') && r.path.includes('/:'));
    expect(routes.length).toBeGreaterThan(10);

    const results: string[] = [];
    const failures: string[] = [];
    for (const route of routes) {
      const key = routeKey(route);
      const segments = route.path.split('/');
      const collection = segments[segments.findIndex((s) => s.startsWith(':')) - 1];
      const kind = kinds[collection];
      if (!kind) {
        failures.push(`${key}: no object kind for "${collection}" — teach API1 how to make a ${collection} object a member may not see`);
        continue;
      }
      const op = operations.get(routeKey({ method: route.method, path: toTemplate(route.path) }));
      const uuid = (name: string) => (/^(assignee|user|recipient)Id$/.test(name) ? member.id : newId());
      const body = op && jsonBodySchema(doc, op.op) ? sampleOf(doc, jsonBodySchema(doc, op.op), uuid) : undefined;
      const row = matrix.find((r) => r.method === route.method && r.path === route.path);
      const send = (session: Session, ids: string[], parts: Record<string, string> = {}) => {
        let i = 0;
        const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => parts[name] ?? ids[i++] ?? newId());
        return t.http.request(route.method, path, body, { token: session.accessToken });
      };

      if (row?.member === 403 || (kind.memberSees === 'none' && !row)) {
        const object = kind.create ? await kind.create() : { id: newId(), owner: admin };
        const [existing, unknown] = [await send(member, [object.id, newId()]), await send(member, [newId(), newId()])];
        results.push(`${key}: existing ${existing.status}, unknown ${unknown.status} (members have no business here)`);
        if (existing.status !== 403 || unknown.status !== 403)
          failures.push(`${key}: expected 403 for an existing and an unknown id alike, got ${existing.status} / ${unknown.status}`);
        continue;
      }
      if (kind.memberSees === 'none') {
        failures.push(
          `${key}: the matrix lets members through (${row?.member}) but members must not see ${collection} — fix the route or this table`,
        );
        continue;
      }
      if (kind.memberSees === 'all') {
        const res = await send(member, [admin.id]);
        results.push(`${key}: ${res.status} (visible to every member by design)`);
        if (res.status === 404 || res.status === 403)
          failures.push(`${key}: ${collection} are visible to members by design, got ${res.status}`);
        continue;
      }
      const object = await kind.create!();
      const denied = await send(member, [object.id], object.parts);
      const unknown = await send(member, [newId()]);
      const control = await send(object.owner, [object.id], object.parts);
      results.push(`${key}: member ${denied.status} (${denied.body?.code}), unknown id ${unknown.status}, owner ${control.status}`);
      if (denied.status !== 404)
        failures.push(
          `${key}: a member who may not see the ${collection} object got ${denied.status} ${denied.text.slice(0, 160)} (expected 404)`,
        );
      if (unknown.status !== denied.status)
        failures.push(`${key}: unknown id answered ${unknown.status}, hidden object ${denied.status}: existence leaks`);
      if (denied.status === 404 && JSON.stringify(denied.body) !== JSON.stringify({ ...unknown.body, instance: denied.body.instance })) {
        failures.push(`${key}: the 404 for a hidden object differs from the 404 for an unknown id: ${denied.text} vs ${unknown.text}`);
      }
      if (control.status === 404)
        failures.push(`${key}: the owner's control request is a 404 too (the test request is broken): ${control.text.slice(0, 160)}`);
    }
    console.log(`API1 object-level authorization, ${routes.length} routes:\n  ${results.join('\n  ')}`);
    expect(failures).toEqual([]);
  });

  it('lists, searches and the live stream never include objects the member may not see', async () => {
    const task = await hiddenTask();
    const notification = await othersNotification();
    const seen = async (path: string) => (await t.http.get(path, { token: member.accessToken })).text;
    for (const path of [
      '/api/v1/tasks?limit=100',
      `/api/v1/tasks?creatorId=${admin.id}`,
      `/api/v1/tasks?assigneeId=${other.id}`,
      '/api/v1/tasks?label=secret',
      '/api/v1/tasks?q=yours',
      '/api/v1/notifications?limit=100',
    ]) {
      const text = await seen(path);
      expect({ path, leaks: text.includes(task.id) || text.includes(notification.id) }).toEqual({ path, leaks: false });
    }
    // The audit stream's visibility per event is covered in test/events/audit-and-stream.e2e-spec.ts.
  });
});
