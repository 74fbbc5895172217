// TypeORM CLI data source (`npm run migration:generate`): DATABASE_URL is set by migration-cli.
import { DataSource } from 'typeorm';
import { join } from 'node:path';
import { dataSourceOptions } from './data-source-options';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set (run through `npm run migration:generate`)');

export default new DataSource({
  ...dataSourceOptions(url, 2, 'taskwire-migrations'),
  entities: [join(__dirname, '../../modules/**/infrastructure/**/*.orm-entity.js')],
});
