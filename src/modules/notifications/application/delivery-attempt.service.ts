import { Injectable, Logger, Optional } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { UserDirectory } from '../../users';
import { EventView } from '../../events';
import { WebhookEndpoint } from '../domain/webhook-endpoint';
import { Delivery } from '../domain/delivery';
import { DeliveryFailure, classifyDeliveryError } from '../domain/delivery-failure';
import { notificationText } from '../domain/notification-catalogue';
import { EMAIL_CHANNEL, WEBHOOK_CHANNEL } from '../domain/notification-channels';
import { parseEmailDigest } from '../domain/email-digest';
import { EmailChannel } from './email.channel';
import { EmailDigests } from './ports/email-digests.port';
import { batchedUserLookup } from './batched-user-lookup';
import { NotificationSettings } from './notification-settings';
import { ChannelMessage } from './ports/notification-channel.port';
import { ClaimedDelivery, DeliveryLedger } from './ports/delivery-ledger.port';
import { NotificationChannelRegistry } from './ports/notification-channel.registry.port';
import { WebhookDispatcher } from './ports/webhook-dispatcher.port';
import { WebhookEndpointRepository } from './ports/webhook-endpoint.repository.port';
import { WebhookHealthService } from './webhook-health.service';

/** What one attempt came to; the queue adapter turns it into BullMQ's terms. */
export type AttemptOutcome =
  | { kind: 'sent'; attempt: number }
  /** Nothing to do (already sent, dead, suppressed; or the row never appeared). */
  | { kind: 'skipped'; reason: string }
  /** Not claimable before `until` (another worker holds the lease, or the retry is not due yet). */
  | { kind: 'later'; until: Date }
  | { kind: 'retry'; attempt: number; delayMs: number; error: string }
  | { kind: 'dead'; attempt: number; error: string };

/**
 * Jobs are added after their rows commit, so a job normally finds its row at once. Only a job
 * added by hand (or a row whose transaction is still finishing) may have to wait a moment.
 */
const VISIBILITY_WAIT_MS = 2000;
const VISIBILITY_STEP_MS = 100;
/** A retry job may fire slightly early (clocks of queue backend and database differ). */
const EARLY_TOLERANCE_MS = 2000;

class LeaseLostError extends Error {
  constructor(id: string) {
    super(`lease on delivery ${id} was lost before the outcome was recorded`);
  }
}

/**
 * The webhook endpoint itself failed the request (as opposed to a missing or disabled endpoint):
 * the failure counts against the endpoint's health. Carries the original error, which is what gets
 * classified (recoverable or not) and recorded.
 */
class EndpointFailedError extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/**
 * One attempt at one delivery, for every channel alike: claim the ledger row (pending|failed →
 * sending, with a lease; a job that runs twice finds nothing to claim and sends nothing), send,
 * record the outcome. Failures are classified once (domain/delivery-failure) and either scheduled
 * for a retry (RetrySchedule, Retry-After) or recorded as dead.
 */
@Injectable()
export class DeliveryAttemptService {
  private readonly logger = new Logger('DeliveryAttempt');
  /** Recipient and actor lookups of concurrent attempts, one directory query per batch. */
  private readonly people: ReturnType<typeof batchedUserLookup>;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly channels: NotificationChannelRegistry,
    private readonly users: UserDirectory,
    private readonly webhooks: WebhookEndpointRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly health: WebhookHealthService,
    private readonly settings: NotificationSettings,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @Optional() private readonly digests?: EmailDigests,
    @Optional() private readonly emailChannel?: EmailChannel,
  ) {
    this.people = batchedUserLookup(users);
  }

  async attempt(deliveryId: string): Promise<AttemptOutcome> {
    const claimed = await this.claim(deliveryId);
    if ('kind' in claimed) return claimed;
    return this.send(claimed);
  }

  /**
   * An attempt at a delivery its recorder claimed (recorded `sending` under a lease taken at
   * `claimedAt`, attempted by the same process after the commit): no claim statement. Should the
   * attempt start late (it waited for a free place), the lease is renewed first; a lease no longer
   * held means the row went to someone else (the sweeper, after it ran out), which then sends it.
   */
  async attemptClaimed(claimed: ClaimedDelivery, claimedAt: number): Promise<AttemptOutcome> {
    if (this.clock.now().getTime() - claimedAt > this.settings.leaseMs / 3) {
      const held = await this.ledger.renewLease(claimed.delivery.id, claimed.leaseToken, this.settings.leaseMs);
      if (!held) return { kind: 'skipped', reason: 'the lease it was recorded with ran out before its attempt' };
      // What planning read is no longer fresh (an endpoint may have been disabled meanwhile): read it again.
      const { endpoint: _endpoint, emailDigest: _digest, ...rest } = claimed;
      return this.send(rest);
    }
    return this.send(claimed);
  }

  private async send(claimed: ClaimedDelivery): Promise<AttemptOutcome> {
    const { delivery, leaseToken, event } = claimed;
    const deliveryId = delivery.id;
    const attempt = delivery.attempts - delivery.scheduleOffset;
    // While this worker is alive and sending, its lease never runs out: only a dead (or hung)
    // worker's delivery can be taken over, so two sends of one delivery never overlap.
    const renewal = setInterval(
      () => {
        this.ledger
          .renewLease(delivery.id, leaseToken, this.settings.leaseMs)
          .catch((err: Error) => this.logger.warn({ deliveryId: delivery.id }, `lease renewal failed: ${err.message}`));
      },
      Math.max(1000, Math.floor(this.settings.leaseMs / 3)),
    );
    renewal.unref();
    try {
      if (delivery.channel === EMAIL_CHANNEL && this.digests && this.emailChannel) {
        const digested = await this.digestStep(delivery, leaseToken, claimed.emailDigest);
        if (digested) return digested;
      }
      if (delivery.channel === WEBHOOK_CHANNEL) await this.sendWebhook(delivery, leaseToken, event, claimed.endpoint);
      else {
        const suppressed = await this.sendToUser(delivery, leaseToken, event, attempt);
        if (suppressed) return { kind: 'skipped', reason: suppressed };
      }
      return { kind: 'sent', attempt };
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.logger.warn({ deliveryId, channel: delivery.channel }, err.message);
        return { kind: 'skipped', reason: err.message };
      }
      return this.recordFailure(delivery, leaseToken, attempt, err);
    } finally {
      clearInterval(renewal);
    }
  }

  private async claim(id: string): Promise<ClaimedDelivery | AttemptOutcome> {
    for (let waited = 0; ; waited += VISIBILITY_STEP_MS) {
      const claimed = await this.ledger.claim(id, this.settings.leaseMs);
      if (claimed) return claimed;
      const current = await this.ledger.find(id);
      const now = this.clock.now().getTime();
      if (current) {
        const due = current.nextAttemptAt?.getTime() ?? 0;
        if (current.status === 'sending') return { kind: 'later', until: new Date(due) };
        if (current.status !== 'pending' && current.status !== 'failed')
          return { kind: 'skipped', reason: `delivery is ${current.status}` };
        if (due > now + EARLY_TOLERANCE_MS) return { kind: 'later', until: new Date(due) };
        // Claimable, yet the claim missed it: it committed between the claim and the read. Again.
        if (waited >= VISIBILITY_WAIT_MS) return { kind: 'later', until: new Date(now + 1000) };
      } else if (waited >= VISIBILITY_WAIT_MS) {
        // Its publisher rolled back (or commits very late: the sweeper queues it again then).
        this.logger.warn({ deliveryId: id }, 'job for a delivery that does not exist; skipped');
        return { kind: 'skipped', reason: 'delivery not found' };
      }
      await new Promise((resolve) => setTimeout(resolve, VISIBILITY_STEP_MS));
    }
  }

  /**
   * Email digests (docs/notifications.md): a row already held in a window is sent with the whole
   * window once it has closed; a new email of a user with a window is held in it instead of sent.
   * Null: the digest is off for this user, send as usual.
   */
  private async digestStep(delivery: Delivery, leaseToken: string, knownSetting?: string): Promise<AttemptOutcome | null> {
    const digests = this.digests!;
    if (delivery.digestId) {
      const outcome = await this.sendDigest(delivery, delivery.digestId);
      if (outcome) return outcome;
    }
    // Read with the claim where the ledger could; otherwise through the digests port.
    const setting = knownSetting ?? (await digests.settingsOf([delivery.recipientId!])).get(delivery.recipientId!) ?? 'off';
    if (setting === 'off') return null;
    const parsed = parseEmailDigest(setting);
    if (!('digest' in parsed) || parsed.digest === 'off') return null;
    const held = await digests.hold(delivery.id, leaseToken, delivery.recipientId!, parsed.digest.windowMs);
    if (!held) return { kind: 'skipped', reason: 'lease lost before the delivery was held' };
    return { kind: 'later', until: held.closesAt };
  }

  /**
   * Claims the window, sends ONE email listing every row it holds, marks them all sent: one transaction.
   * Null when the window went out without this row (it was held a moment after the list was read):
   * the row, claimed by us and not sent, is then held again (in the user's next window) or sent.
   */
  private async sendDigest(delivery: Delivery, digestId: string): Promise<AttemptOutcome | null> {
    return this.unitOfWork.run(async (): Promise<AttemptOutcome | null> => {
      const locked = await this.digests!.lock(digestId);
      if (locked.kind === 'busy') return { kind: 'later', until: new Date(this.clock.now().getTime() + 2000) };
      if (locked.kind === 'sent') return null;
      if (locked.kind === 'open') return { kind: 'later', until: locked.closesAt };
      const actorIds = locked.deliveries.map((d) => d.event.actorId).filter((id): id is string => !!id);
      const found = await this.people.submit([locked.userId, ...new Set(actorIds)]);
      const recipient = found.find((u) => u.id === locked.userId);
      if (!recipient || !recipient.active) throw DeliveryFailure.unrecoverable('recipient is deactivated or no longer exists');
      const items = locked.deliveries.map((d) => {
        const actor = d.event.actorId ? found.find((u) => u.id === d.event.actorId) : undefined;
        const text = notificationText(d.event, actor?.name ?? null, this.settings.appPublicUrl);
        return { deliveryId: d.id, title: text.title, link: text.link };
      });
      if (items.length) {
        await this.emailChannel!.deliverDigest({
          digestId,
          recipient: { id: recipient.id, email: recipient.email, name: recipient.name },
          items,
        });
      }
      await this.digests!.markSent(
        digestId,
        items.map((i) => i.deliveryId),
      );
      this.logger.log({ digestId, deliveryId: delivery.id, items: items.length }, 'digest sent');
      return { kind: 'sent', attempt: delivery.attempts - delivery.scheduleOffset };
    });
  }

  /** Returns a reason when the delivery turned out to be suppressed (recipient deactivated since). */
  private async sendToUser(delivery: Delivery, leaseToken: string, event: EventView, attempt: number): Promise<string | null> {
    const channel = this.channels.userChannel(delivery.channel);
    if (!channel) throw DeliveryFailure.unrecoverable(`no channel "${delivery.channel}" is registered`);
    const ids = [delivery.recipientId!, ...(event.actorId && event.actorId !== delivery.recipientId ? [event.actorId] : [])];
    const found = await this.people.submit(ids);
    const recipient = found.find((u) => u.id === delivery.recipientId);
    const actor = event.actorId ? (found.find((u) => u.id === event.actorId) ?? null) : null;
    if (!recipient || !recipient.active) {
      // Deactivated between planning and sending: recorded like one found inactive at planning.
      await this.ledger.markSuppressed(delivery.id, leaseToken, 'user_inactive');
      return 'recipient is deactivated or no longer exists';
    }
    const text = notificationText(event, actor?.name ?? null, this.settings.appPublicUrl);
    const message: ChannelMessage = {
      deliveryId: delivery.id,
      channel: delivery.channel,
      attempt,
      event,
      recipient: { id: recipient.id, email: recipient.email, name: recipient.name },
      actor: actor ? { id: actor.id, name: actor.name } : null,
      title: text.title,
      body: text.body,
      link: text.link,
      emailLines: text.emailLines,
    };
    if (channel.transactional) {
      await this.unitOfWork.run(async () => {
        await channel.adapter.deliver(message);
        if (!(await this.ledger.markSent(delivery.id, leaseToken))) throw new LeaseLostError(delivery.id);
      });
    } else {
      await channel.adapter.deliver(message);
      if (!(await this.ledger.markSent(delivery.id, leaseToken)))
        this.logger.warn({ deliveryId: delivery.id }, 'sent, but the lease had expired meanwhile');
    }
    return null;
  }

  private async sendWebhook(
    delivery: Delivery,
    leaseToken: string,
    event: EventView,
    /** The endpoint as the claim read it (null: deleted); undefined: read it now. */
    claimedEndpoint: WebhookEndpoint | null | undefined,
  ): Promise<void> {
    const endpoint = claimedEndpoint !== undefined ? claimedEndpoint : await this.webhooks.findById(delivery.webhookId!);
    if (!endpoint) throw DeliveryFailure.unrecoverable('the webhook endpoint was deleted');
    if (!endpoint.active)
      throw DeliveryFailure.unrecoverable(
        `the webhook endpoint is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}`,
      );
    try {
      await this.dispatcher.dispatch(endpoint, delivery.id, event);
    } catch (err) {
      throw new EndpointFailedError(err);
    }
    if (!(await this.ledger.markSent(delivery.id, leaseToken)))
      this.logger.warn({ deliveryId: delivery.id }, 'sent, but the lease had expired meanwhile');
    if (endpoint.failingSince) await this.health.recordSuccess(endpoint.id);
  }

  private async recordFailure(delivery: Delivery, leaseToken: string, attempt: number, err: unknown): Promise<AttemptOutcome> {
    const endpointFailed = err instanceof EndpointFailedError;
    const failure = classifyDeliveryError(endpointFailed ? err.failure : err, this.clock.now());
    let error = failure.message;
    let recoverable = failure.recoverable;
    if (endpointFailed) {
      const disabled = await this.health.recordFailure(delivery.webhookId!);
      if (disabled) {
        recoverable = false;
        error = `${error} (endpoint disabled: ${disabled})`;
      }
    }
    const delayMs = recoverable ? this.settings.retrySchedule.nextDelayMs(attempt, { retryAfterMs: failure.retryAfterMs }) : null;
    if (delayMs === null) {
      const final = recoverable ? `${error} (gave up after ${attempt} attempts)` : error;
      await this.ledger.markDead(delivery.id, leaseToken, final);
      this.logger.warn({ deliveryId: delivery.id, channel: delivery.channel, attempt, error: final }, 'delivery is dead');
      return { kind: 'dead', attempt, error: final };
    }
    await this.ledger.markFailed(delivery.id, leaseToken, error, delayMs);
    this.logger.log({ deliveryId: delivery.id, channel: delivery.channel, attempt, delayMs, error }, 'delivery failed; retry scheduled');
    return { kind: 'retry', attempt, delayMs, error };
  }
}
