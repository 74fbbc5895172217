import { EMAIL_CHANNEL, IN_APP_CHANNEL } from './notification-channels';
import { typesCarriedBy } from './notification-catalogue';
import { PlannableChannel, audienceOf, planUserDeliveries } from './recipient-rules';

const CREATOR = 'creator';
const ASSIGNEE = 'assignee';
const PREVIOUS = 'previous';
const W1 = 'watcher-1';
const W2 = 'watcher-2';
const ACTOR = 'someone-else';

const channels: PlannableChannel[] = [
  { name: EMAIL_CHANNEL, preferenceKey: 'email', eventTypes: typesCarriedBy(EMAIL_CHANNEL) },
  { name: IN_APP_CHANNEL, preferenceKey: 'inApp', eventTypes: typesCarriedBy(IN_APP_CHANNEL) },
];
const everyone = new Map([CREATOR, ASSIGNEE, PREVIOUS, W1, W2, ACTOR].map((id) => [id, { active: true }]));
const payload = { creatorId: CREATOR, assigneeId: ASSIGNEE, previousAssigneeId: PREVIOUS, title: 'T' };

function plan(
  type: string,
  options: {
    actorId?: string | null;
    users?: Map<string, { active: boolean }>;
    off?: Array<[string, string]>;
    watchers?: string[];
    body?: Record<string, unknown>;
  } = {},
) {
  return planUserDeliveries({
    event: { type, actorId: options.actorId === undefined ? ACTOR : options.actorId, payload: options.body ?? payload },
    watchers: options.watchers ?? [W1, W2],
    users: options.users ?? everyone,
    channels,
    wants: (userId, key) => !(options.off ?? []).some(([u, k]) => u === userId && k === key),
  });
}

const summary = (rows: ReturnType<typeof plan>) =>
  rows.map((r) => `${r.channel}:${r.recipientId}:${r.status}${r.suppressedReason ? `(${r.suppressedReason})` : ''}`).sort();
const sent = (channelNames: string[], ids: string[]) => channelNames.flatMap((c) => ids.map((id) => `${c}:${id}:pending`)).sort();

describe('recipient rules (docs/api.md "Notifications")', () => {
  it.each([
    ['task.assigned', [EMAIL_CHANNEL, IN_APP_CHANNEL], [ASSIGNEE]],
    ['task.unassigned', [IN_APP_CHANNEL], [PREVIOUS]],
    ['task.started', [IN_APP_CHANNEL], [CREATOR]],
    ['task.completed', [EMAIL_CHANNEL, IN_APP_CHANNEL], [CREATOR, W1, W2]],
    ['task.cancelled', [EMAIL_CHANNEL, IN_APP_CHANNEL], [ASSIGNEE, W1, W2]],
    ['task.commented', [IN_APP_CHANNEL], [CREATOR, ASSIGNEE, W1, W2]],
    ['task.updated', [IN_APP_CHANNEL], [ASSIGNEE, W1, W2]],
  ])('%s → %j to %j', (type, channelNames, ids) => {
    expect(summary(plan(type))).toEqual(sent(channelNames, ids));
  });

  it('task.due_soon → the assignee (email + in-app); task.overdue → assignee and creator (email + in-app), watchers (in-app only)', () => {
    expect(summary(plan('task.due_soon', { actorId: null }))).toEqual(sent([EMAIL_CHANNEL, IN_APP_CHANNEL], [ASSIGNEE]));
    expect(summary(plan('task.overdue', { actorId: null }))).toEqual(
      [...sent([EMAIL_CHANNEL, IN_APP_CHANNEL], [ASSIGNEE, CREATOR]), ...sent([IN_APP_CHANNEL], [W1, W2])].sort(),
    );
    // The preference covers them like any other type.
    expect(summary(plan('task.overdue', { actorId: null, off: [[CREATOR, 'email']] }))).toContain(
      `email:${CREATOR}:suppressed(preference)`,
    );
  });

  it.each(['task.created', 'task.paused', 'task.deleted', 'user.registered', 'webhook.disabled'])('%s tells nobody', (type) => {
    expect(plan(type)).toEqual([]);
  });

  it('never tells the actor: their rows are suppressed with reason actor, on every channel', () => {
    expect(summary(plan('task.assigned', { actorId: ASSIGNEE }))).toEqual([
      `email:${ASSIGNEE}:suppressed(actor)`,
      `in_app:${ASSIGNEE}:suppressed(actor)`,
    ]);
    // A watcher who comments is not told about their own comment; the others are.
    expect(summary(plan('task.commented', { actorId: W1 }))).toEqual([
      `in_app:${ASSIGNEE}:pending`,
      `in_app:${CREATOR}:pending`,
      `in_app:${W1}:suppressed(actor)`,
      `in_app:${W2}:pending`,
    ]);
  });

  it('system events (no actor) suppress nobody for being the actor', () => {
    expect(summary(plan('task.unassigned', { actorId: null }))).toEqual([`in_app:${PREVIOUS}:pending`]);
  });

  it('records inactive or unknown users as suppressed (user_inactive)', () => {
    const users = new Map([
      [CREATOR, { active: true }],
      [W1, { active: false }],
    ]);
    expect(summary(plan('task.completed', { users }))).toEqual([
      `email:${CREATOR}:pending`,
      `email:${W1}:suppressed(user_inactive)`,
      `email:${W2}:suppressed(user_inactive)`,
      `in_app:${CREATOR}:pending`,
      `in_app:${W1}:suppressed(user_inactive)`,
      `in_app:${W2}:suppressed(user_inactive)`,
    ]);
  });

  it('applies preferences per (user, channel), after the actor and activity checks', () => {
    const rows = plan('task.cancelled', {
      off: [
        [ASSIGNEE, 'email'],
        [W1, 'inApp'],
        [ACTOR, 'email'],
      ],
      watchers: [W1, ACTOR],
    });
    expect(summary(rows)).toEqual(
      [
        `email:${ACTOR}:suppressed(actor)`,
        `email:${ASSIGNEE}:suppressed(preference)`,
        `email:${W1}:pending`,
        `in_app:${ACTOR}:suppressed(actor)`,
        `in_app:${ASSIGNEE}:pending`,
        `in_app:${W1}:suppressed(preference)`,
      ].sort(),
    );
  });

  it('tells each person once per channel, whatever roles they hold', () => {
    const rows = plan('task.commented', { body: { creatorId: CREATOR, assigneeId: CREATOR }, watchers: [CREATOR, W1, W1] });
    expect(summary(rows)).toEqual([`in_app:${CREATOR}:pending`, `in_app:${W1}:pending`]);
  });

  it('skips roles the event does not fill (no assignee)', () => {
    expect(audienceOf('task.updated', { creatorId: CREATOR, assigneeId: null }, [])).toEqual([]);
    expect(audienceOf('task.commented', { creatorId: CREATOR, assigneeId: null }, [W1])).toEqual([CREATOR, W1]);
  });

  it('gives an extra channel the rule audience of the types it declares', () => {
    const rows = planUserDeliveries({
      event: { type: 'task.updated', actorId: ACTOR, payload },
      watchers: [],
      users: everyone,
      channels: [{ name: 'chat', preferenceKey: 'chat', eventTypes: ['task.updated'] }],
      wants: () => true,
    });
    expect(summary(rows)).toEqual([`chat:${ASSIGNEE}:pending`]);
  });
});
