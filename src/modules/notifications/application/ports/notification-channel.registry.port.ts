import { PlannableChannel } from '../../domain/recipient-rules';
import { NotificationChannel } from './notification-channel.port';

/** A user channel with everything the pipeline needs to run it. */
export interface RegisteredChannel extends PlannableChannel {
  queue: string;
  concurrency: number;
  transactional: boolean;
  adapter: NotificationChannel;
}

/** Every user channel of this process (built-in and discovered), validated at start-up. */
export abstract class NotificationChannelRegistry {
  abstract userChannels(): readonly RegisteredChannel[];
  abstract userChannel(name: string): RegisteredChannel | null;
  /** Every channel name including `webhook`. */
  abstract channelNames(): string[];
  /** Queue of a channel (user channels and `webhook`). */
  abstract queueOf(channel: string): string | null;
  abstract preferenceKeys(): string[];
}
