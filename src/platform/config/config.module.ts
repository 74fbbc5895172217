import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../../kernel';
import { AppConfig } from './app-config';

/** Provides the validated AppConfig (and the Clock) to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useClass: SystemClock },
      ],
      exports: [AppConfig, Clock],
    };
  }
}
