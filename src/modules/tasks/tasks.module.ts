import { DynamicModule, Module } from '@nestjs/common';
import { ContextModuleOptions } from '../../platform/context-module-options';

/** The Tasks context. Wiring is completed by the infrastructure/api work. */
@Module({})
export class TasksModule {
  static register(options: ContextModuleOptions): DynamicModule {
    void options;
    return { module: TasksModule, providers: [], exports: [] };
  }
}
