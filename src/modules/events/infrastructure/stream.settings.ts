/** Caps on open event streams (bound from AppConfig by the Events module: STREAM_MAX_PER_USER, STREAM_MAX_PER_PROCESS). */
export abstract class StreamSettings {
  abstract maxPerUser: number;
  abstract maxPerProcess: number;
}
