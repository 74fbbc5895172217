import { Injectable } from '@nestjs/common';
import { TaskAudience } from '../../tasks';
import { TaskWatchers } from '../application/ports/task-watchers.port';

/** TaskWatchers over the Tasks context's exported TaskAudience port. */
@Injectable()
export class TaskAudienceWatchers extends TaskWatchers {
  constructor(private readonly audience: TaskAudience) {
    super();
  }

  watchersOf(taskId: string): Promise<string[]> {
    return this.audience.watchersOf(taskId);
  }
}
