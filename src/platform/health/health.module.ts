import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ProcessHeartbeatService } from './process-heartbeat.service';

@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [ProcessHeartbeatService],
  exports: [ProcessHeartbeatService],
})
export class HealthModule {}
