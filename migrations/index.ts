// Every migration, in order. A generated migration is added here (TypeORM loads this list, so the
// same list works from sources in tests and from dist/ in production).
import { Platform1764380000000 } from './1764380000000-platform';
import { Idempotency1764380050000 } from './1764380050000-idempotency';
import { Users1764380100000 } from './1764380100000-users';
import { Events1764380200000 } from './1764380200000-events';
import { EventTraceContext1764380250000 } from './1764380250000-event-trace-context';
import { Tasks1764380300000 } from './1764380300000-tasks';
import { Notifications1764380400000 } from './1764380400000-notifications';
import { TypeormMetadata1764380500000 } from './1764380500000-typeorm-metadata';
import { UserStateNotify1764380600000 } from './1764380600000-user-state-notify';
import { NotificationsSchema1764380700000 } from './1764380700000-notifications-schema';
import { TaskReminders1764380800000 } from './1764380800000-task-reminders';
import { UserMinTokenVersion1764380820000 } from './1764380820000-user-min-token-version';
import { EmailDigests1764380900000 } from './1764380900000-email-digests';
import { TaskVersionCheck1764381000000 } from './1764381000000-task-version-check';

export const MIGRATIONS = [
  Platform1764380000000,
  Idempotency1764380050000,
  Users1764380100000,
  Events1764380200000,
  EventTraceContext1764380250000,
  Tasks1764380300000,
  Notifications1764380400000,
  TypeormMetadata1764380500000,
  UserStateNotify1764380600000,
  NotificationsSchema1764380700000,
  TaskReminders1764380800000,
  UserMinTokenVersion1764380820000,
  EmailDigests1764380900000,
  TaskVersionCheck1764381000000,
];
