import { DynamicModule, Module } from '@nestjs/common';
import { ContextModuleOptions } from '../../platform/context-module-options';

/** The Users context (auth, accounts, roles). Wiring is completed by the infrastructure/api work. */
@Module({})
export class UsersModule {
  static register(options: ContextModuleOptions): DynamicModule {
    void options;
    return { module: UsersModule, global: true, providers: [], exports: [] };
  }
}
