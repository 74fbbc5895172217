import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { UnitOfWork } from '../../kernel';
import { AppConfig } from '../config';
import { dataSourceOptions } from './data-source-options';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work';
import { WriteBatches } from './write-batch';

/** The resolved connection URL (for components that need their own connection, e.g. LISTEN). */
export abstract class DatabaseConnectionInfo {
  abstract readonly url: string;
}

/**
 * TypeORM on PostgreSQL (the URL is resolved before the app is built: DATABASE_URL or the
 * embedded server), the ambient-transaction plugin, and the UnitOfWork port.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(databaseUrl, config.dbPoolSize, `taskwire-${config.role}`),
            autoLoadEntities: true,
            retryAttempts: 0,
          }),
        }),
        ClsModule.forRoot({
          global: true,
          // Requests enter their context in a Fastify hook (platform/context/request-context.ts).
          middleware: { mount: false },
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
              enableTransactionProxy: false,
            }),
          ],
        }),
      ],
      providers: [
        WriteBatches,
        { provide: UnitOfWork, useClass: TypeOrmUnitOfWork },
        { provide: DatabaseConnectionInfo, useValue: { url: databaseUrl } satisfies DatabaseConnectionInfo },
      ],
      exports: [UnitOfWork, WriteBatches, DatabaseConnectionInfo],
    };
  }
}
