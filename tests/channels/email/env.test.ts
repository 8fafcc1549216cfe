import { describe, expect, it } from 'vitest';
import { readEmailEnv } from '../../../src/channels/email/env.js';
import { createEmailChannel } from '../../../src/channels/email/index.js';
import type { ChannelContext } from '../../../src/channels/types.js';

describe('email settings from the environment', () => {
  it('reads one mailbox per IMAP_URL and IMAP_URL_<NAME>, with TLS for imaps', () => {
    const env = readEmailEnv({
      IMAP_URL: 'imaps://it%40corp.example:s%3Acret@imap.corp.example:993/INBOX',
      IMAP_URL_SECURITY: 'imap://security%40corp.example:pw@imap.corp.example/Reports%2FPhishing',
      SMTP_URL: 'smtp://smtp.corp.example:587',
      MAIL_FROM: 'IT Desk <it@corp.example>',
    });
    expect(env.mailboxes).toEqual([
      { name: 'default', host: 'imap.corp.example', port: 993, secure: true, user: 'it@corp.example', pass: 's:cret', path: 'INBOX' },
      { name: 'security', host: 'imap.corp.example', port: 143, secure: false, user: 'security@corp.example', pass: 'pw', path: 'Reports/Phishing' },
    ]);
    expect(env.mailFrom).toBe('IT Desk <it@corp.example>');
    expect(() => readEmailEnv({ IMAP_URL: 'http://x/' })).toThrow(/imap:\/\/ or imaps:\/\//);
  });

  it('is off, and says why, when nothing is configured', () => {
    const result = createEmailChannel({ env: {} } as unknown as ChannelContext);
    expect(result).toEqual({ off: 'email: IMAP_URL, SMTP_URL and MAIL_FROM are not set' });
  });
});
