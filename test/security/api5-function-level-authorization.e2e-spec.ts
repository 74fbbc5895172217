import { TestApp, startTestApp } from '../support/test-app';
import { OpenApiDocument, fetchOpenApi, loadAuthorizationMatrix, operationsOf, routeKey, toRoutePath } from './support/openapi';

/**
 * OWASP API5:2023 Broken function-level authorization.
 *
 * The authorization matrix (test/authorization/authorization-matrix.e2e-spec.ts, rows in
 * test/authorization/matrix/*.matrix.ts) sends every route × {anonymous, member, manager, admin}
 * and checks the answer, and fails when a served route is missing from it. This file ties it to
 * the public contract: every operation of the OpenAPI document has a row, every row is a
 * documented operation, and what the document says about authentication agrees with the row.
 */
describe('API5 function-level authorization: the matrix covers the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  const matrix = loadAuthorizationMatrix();

  beforeAll(async () => {
    t = await startTestApp();
    doc = await fetchOpenApi(t);
  });
  afterAll(() => t?.close());

  it('every documented operation has a row in the matrix, and every row is a documented operation', () => {
    const documented = new Set(operationsOf(doc).map((o) => routeKey({ method: o.method, path: toRoutePath(o.path) })));
    const rows = new Set(matrix.map((r) => routeKey(r)));
    expect({
      documentedButNotInTheMatrix: [...documented].filter((k) => !rows.has(k)).sort(),
      inTheMatrixButNotDocumented: [...rows].filter((k) => !documented.has(k)).sort(),
    }).toEqual({ documentedButNotInTheMatrix: [], inTheMatrixButNotDocumented: [] });
  });

  it('the matrix and the document agree on which operations need a token', () => {
    const mismatches: string[] = [];
    for (const op of operationsOf(doc)) {
      const row = matrix.find((r) => r.method === op.method && r.path === toRoutePath(op.path));
      if (!row) continue;
      if (op.secured !== (row.anonymous === 401))
        mismatches.push(`${routeKey(op)}: document secured=${op.secured}, matrix anonymous=${row.anonymous}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('administrative operations are closed to members (a member is never allowed where a manager is not)', () => {
    const escalations = matrix.filter((r) => r.member === 'allow' && r.manager !== 'allow').map((r) => `${routeKey(r)} (${r.file})`);
    expect(escalations).toEqual([]);
    const managerOverAdmin = matrix.filter((r) => r.manager === 'allow' && r.admin !== 'allow').map((r) => `${routeKey(r)} (${r.file})`);
    expect(managerOverAdmin).toEqual([]);
  });
});
