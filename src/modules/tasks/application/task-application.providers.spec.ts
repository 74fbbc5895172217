import { Test } from '@nestjs/testing';
import { Clock, UnitOfWork } from '../../../kernel';
import { FakeClock, FakeUnitOfWork } from '../../../kernel/testing';
import { RecordingEventPublisher } from '../../events/application/testing/recording-event-publisher.fake';
import { InMemoryUserDirectory } from '../../users/application/testing/in-memory-user-directory.fake';
import { EventPublisher, EventQueries } from '../../events';
import { UserDirectory } from '../../users';
import { TaskCommentRepository } from './ports/task-comment.repository.port';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { TASK_APPLICATION_SERVICES } from './task-application.providers';
import { TaskCreationService } from './task-creation.service';
import { InMemoryTaskCommentRepository } from './testing/in-memory-task-comment.repository.fake';
import { InMemoryTaskWatcherRepository } from './testing/in-memory-task-watcher.repository.fake';
import { InMemoryTaskRepository } from './testing/in-memory-task.repository.fake';
import { PublishedEventQueries } from './testing/published-event-queries.fake';
import { actorFor } from './testing/task-test-kit.fake';

describe('Tasks use cases under Nest DI', () => {
  it('resolve with nothing but the ports bound (constructor metadata names the port classes)', async () => {
    const module = await Test.createTestingModule({
      providers: [
        ...TASK_APPLICATION_SERVICES,
        { provide: TaskRepository, useValue: new InMemoryTaskRepository() },
        { provide: TaskCommentRepository, useValue: new InMemoryTaskCommentRepository() },
        { provide: TaskWatcherRepository, useValue: new InMemoryTaskWatcherRepository() },
        { provide: UserDirectory, useValue: new InMemoryUserDirectory() },
        { provide: EventPublisher, useValue: new RecordingEventPublisher() },
        { provide: EventQueries, useValue: new PublishedEventQueries(new RecordingEventPublisher()) },
        { provide: UnitOfWork, useValue: new FakeUnitOfWork() },
        { provide: Clock, useValue: new FakeClock() },
      ],
    }).compile();
    for (const service of TASK_APPLICATION_SERVICES) expect(module.get(service)).toBeInstanceOf(service);
    const view = await module.get(TaskCreationService).create(actorFor('member'), { title: 'Wired' });
    expect(view.title).toBe('Wired');
    await module.close();
  });
});
