import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { generateOpenApiDocument } from '../../src/openapi-document';

/**
 * Drift check (runs in `npm test`): the committed src/schema.d.ts must be what openapi-typescript
 * makes of the document the code serves now. A changed route, DTO or decorator without
 * `npm run client:generate` fails here, not in a consumer's build.
 * (openapi-typescript is ESM-only, so the generator runs in its own Node process.)
 */
describe('@taskwire/client schema.d.ts', () => {
  it('matches the OpenAPI document the app serves (regenerate: npm run client:generate)', async () => {
    const document = await generateOpenApiDocument();
    const run = spawnSync(process.execPath, [join(__dirname, 'scripts', 'generate.mjs'), '--document', '-', '--check'], {
      input: JSON.stringify(document),
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });
});
