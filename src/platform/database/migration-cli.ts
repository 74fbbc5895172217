// `npm run migration:run | migration:revert | migration:generate -- <Name>` against DATABASE_URL
// or, when it is unset, the embedded PostgreSQL under DATA_DIR.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import { dataSourceOptions } from './data-source-options';
import { provisionDatabase } from './database-provisioner';
import { runMigrations } from './migration-runner';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = AppConfig.fromEnv();
  const db = await provisionDatabase(config, (level, message) => level !== 'debug' && console.error(message));
  try {
    if (command === 'generate') {
      if (!name) throw new Error('usage: npm run migration:generate -- <MigrationName>');
      // Diff the entities against the schema as the existing migrations leave it.
      const current = await new DataSource(dataSourceOptions(db.url, 2, 'taskwire-migrations')).initialize();
      try {
        await runMigrations(current);
      } finally {
        await current.destroy();
      }
      const root = join(__dirname, '../../../..');
      execFileSync(
        join(root, 'node_modules/.bin/typeorm'),
        ['migration:generate', '-d', join(__dirname, 'data-source.js'), join(root, 'migrations', `${name}`)],
        { stdio: 'inherit', env: { ...process.env, DATABASE_URL: db.url }, cwd: root },
      );
      console.error('Add the new class to migrations/index.ts.');
      return;
    }
    const dataSource = await new DataSource(dataSourceOptions(db.url, 2, 'taskwire-migrations')).initialize();
    try {
      if (command === 'run') {
        const applied = await runMigrations(dataSource);
        console.error(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
      } else if (command === 'revert') {
        await dataSource.undoLastMigration({ transaction: 'each' });
      } else {
        throw new Error('usage: migration-cli run | revert | generate <Name>');
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await db.embedded?.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
