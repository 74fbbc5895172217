export * from './health.module';
export * from './process-heartbeat.service';
