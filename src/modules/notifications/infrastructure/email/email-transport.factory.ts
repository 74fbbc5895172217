import { Provider } from '@nestjs/common';
import { AppConfig } from '../../../../platform/config';
import { EmailTransport } from '../../application/ports/email-transport.port';
import { NotificationSettings } from '../../application/notification-settings';
import { LogEmailTransport } from './log-email.transport';
import { SendgridEmailTransport } from './sendgrid-email.transport';
import { SmtpEmailTransport } from './smtp-email.transport';

/** EMAIL_TRANSPORT picks the transport: smtp (SMTP_URL), sendgrid (SENDGRID_API_KEY) or log. */
export const emailTransportProvider: Provider = {
  provide: EmailTransport,
  inject: [AppConfig, NotificationSettings],
  useFactory: (config: AppConfig, settings: NotificationSettings): EmailTransport => {
    switch (config.emailTransport) {
      case 'smtp':
        return new SmtpEmailTransport(config.smtpUrl!, settings.sendTimeoutMs, config.smtpPoolSize);
      case 'sendgrid':
        return new SendgridEmailTransport(config.sendgridBaseUrl, config.sendgridApiKey!, settings.sendTimeoutMs);
      default:
        return new LogEmailTransport();
    }
  },
};
