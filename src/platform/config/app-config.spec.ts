import { AppConfig } from './app-config';
import { ConfigError } from './config.errors';

const BASE = { JWT_SECRET: 'unit-test-secret-that-is-long-enough-0123456789', DATA_DIR: '/tmp/taskwire-config-spec' };

describe('AppConfig: delivery pipeline settings', () => {
  it('defaults NOTIFY_CONCURRENCY to 32 sends per delivery queue and SMTP_POOL_SIZE to 16 connections', () => {
    const config = AppConfig.fromEnv(BASE);
    expect(config.notifyConcurrency).toBe(32);
    expect(config.smtpPoolSize).toBe(16);
  });

  it('attempts deliveries where they were recorded unless NOTIFY_SEND_AT_RELAY=false', () => {
    expect(AppConfig.fromEnv(BASE).notifySendAtRelay).toBe(true);
    expect(AppConfig.fromEnv({ ...BASE, NOTIFY_SEND_AT_RELAY: 'false' }).notifySendAtRelay).toBe(false);
  });

  it('reads them from the environment', () => {
    const config = AppConfig.fromEnv({ ...BASE, NOTIFY_CONCURRENCY: '64', SMTP_POOL_SIZE: '4' });
    expect(config.notifyConcurrency).toBe(64);
    expect(config.smtpPoolSize).toBe(4);
  });

  it.each([
    ['NOTIFY_CONCURRENCY', '0'],
    ['NOTIFY_CONCURRENCY', '257'],
    ['NOTIFY_CONCURRENCY', 'many'],
    ['SMTP_POOL_SIZE', '0'],
    ['SMTP_POOL_SIZE', '1.5'],
    ['NOTIFY_SEND_AT_RELAY', 'sometimes'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => AppConfig.fromEnv({ ...BASE, [name]: value })).toThrow(ConfigError);
    expect(() => AppConfig.fromEnv({ ...BASE, [name]: value })).toThrow(name);
  });
});

describe('AppConfig: event stream caps', () => {
  it('defaults STREAM_MAX_PER_USER to 10 and STREAM_MAX_PER_PROCESS to 1000, and reads them', () => {
    expect(AppConfig.fromEnv(BASE)).toMatchObject({ streamMaxPerUser: 10, streamMaxPerProcess: 1000 });
    expect(AppConfig.fromEnv({ ...BASE, STREAM_MAX_PER_USER: '3', STREAM_MAX_PER_PROCESS: '50' })).toMatchObject({
      streamMaxPerUser: 3,
      streamMaxPerProcess: 50,
    });
  });

  it.each([
    ['STREAM_MAX_PER_USER', '0'],
    ['STREAM_MAX_PER_USER', 'lots'],
    ['STREAM_MAX_PER_PROCESS', '-1'],
    ['STREAM_MAX_PER_PROCESS', '100001'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => AppConfig.fromEnv({ ...BASE, [name]: value })).toThrow(ConfigError);
    expect(() => AppConfig.fromEnv({ ...BASE, [name]: value })).toThrow(name);
  });
});

describe('AppConfig: DUE_SOON_LEAD', () => {
  it('defaults to 24h and reads a duration', () => {
    expect(AppConfig.fromEnv(BASE).dueSoonLeadMs).toBe(24 * 3_600_000);
    expect(AppConfig.fromEnv({ ...BASE, DUE_SOON_LEAD: '2s' }).dueSoonLeadMs).toBe(2000);
    expect(AppConfig.fromEnv({ ...BASE, DUE_SOON_LEAD: '90m' }).dueSoonLeadMs).toBe(90 * 60_000);
  });

  it.each(['soon', '-1h', '1.5h', '500ms'])('refuses DUE_SOON_LEAD=%p with one line naming it', (value) => {
    expect(() => AppConfig.fromEnv({ ...BASE, DUE_SOON_LEAD: value })).toThrow(
      'DUE_SOON_LEAD: expected a duration such as 90s, 15m, 12h or 30d',
    );
  });
});
