import { Injectable } from '@nestjs/common';
import { isUuid } from '../../../kernel';
import { TaskAudience } from '../application/ports/task-audience.port';
import { TaskWatcherRepository } from '../application/ports/task-watcher.repository.port';

/** TaskAudience over the watcher table. */
@Injectable()
export class WatcherTaskAudience extends TaskAudience {
  constructor(private readonly watchers: TaskWatcherRepository) {
    super();
  }

  async watchersOf(taskId: string): Promise<string[]> {
    return isUuid(taskId) ? this.watchers.watchersOf(taskId.toLowerCase()) : [];
  }
}
