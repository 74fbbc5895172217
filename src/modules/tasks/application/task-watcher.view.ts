import type { TaskWatcher } from './ports/task-watcher.repository.port';

export interface TaskWatcherView {
  userId: string;
  since: string;
}

export function toTaskWatcherView(watcher: TaskWatcher): TaskWatcherView {
  return { userId: watcher.userId, since: watcher.since.toISOString() };
}
