import { describe, expect, it } from 'vitest';
import { renderMail } from '../../src/channels/email/templates.js';
import { say, voiceResponse } from '../../src/channels/twilio/twiml.js';

const HOSTILE = '<script>alert(1)</script> <img src=x onerror=1> & <!channel>';

/** The sinks besides Slack that carry requester or agent text: none of it may become markup there. */
describe('outside text in the other outbound sinks', () => {
  it('HTML mail escapes subject and text; the plain part keeps them as written', () => {
    const mail = renderMail({ kind: 'reply', language: 'en', ticketNumber: 'INC-000001', subject: HOSTILE, respondBy: '2026-01-01T00:00:00Z', timezone: 'UTC', portalUrl: 'https://desk.example.com', text: HOSTILE });
    expect(mail.html).not.toMatch(/<script|<img|<!channel/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).toContain(HOSTILE);
  });

  it('TwiML <Say> carries the text as XML character data, not as elements', () => {
    const twiml = voiceResponse();
    say(twiml, 'en', HOSTILE);
    const xml = twiml.toString();
    expect(xml).not.toMatch(/<script|<img|<!channel/);
    expect(xml).toContain('&lt;script&gt;');
  });
});
