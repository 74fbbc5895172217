import { newId } from '../../../kernel';
import { closedValidator } from '../../../kernel/testing/closed-schema';
import { USER_PUBLISHED_EVENTS } from './user-event-schemas';
import { User } from './user.aggregate';
import { USER_EVENT_TYPES } from './user.domain-event';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const TYPES = Object.values(USER_EVENT_TYPES);

describe('user event schemas', () => {
  it('describe exactly the user event types', () => {
    expect(Object.keys(USER_PUBLISHED_EVENTS).sort()).toEqual([...TYPES].sort());
  });

  it('accept every payload the aggregate records, and nothing it does not (closed schemas)', () => {
    const admin = newId();
    const user = User.register({
      email: ' Someone@Example.TEST ',
      name: ' Some One ',
      passwordHash: 'hash',
      role: 'member',
      registeredBy: 'self',
      now: T0,
    });
    user.changeRole('manager', admin, T0);
    user.deactivate(admin, T0);
    user.reactivate(admin, T0);
    const events = user.pullEvents();
    expect(events.map((e) => e.type).sort()).toEqual([...TYPES].sort());
    const problems = events.flatMap((e) =>
      closedValidator(USER_PUBLISHED_EVENTS[e.type as (typeof TYPES)[number]].payload)(e.payload).map((p) => `${e.type} ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('reject a wrong role or a member an empty payload does not have', () => {
    expect(closedValidator(USER_PUBLISHED_EVENTS['user.role_changed'].payload)({ from: 'member', to: 'owner' })).not.toEqual([]);
    expect(closedValidator(USER_PUBLISHED_EVENTS['user.deactivated'].payload)({ reason: 'left' })).not.toEqual([]);
  });
});
