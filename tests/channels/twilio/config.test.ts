import { describe, expect, it } from 'vitest';
import { smsConfigSchema, voiceConfigSchema } from '../../../src/channels/twilio/config.js';
import { createTwilioChannel } from '../../../src/channels/twilio/index.js';
import type { ChannelContext } from '../../../src/channels/types.js';

describe('voice and SMS settings', () => {
  it('work with the section absent', () => {
    const voice = voiceConfigSchema.parse(undefined);
    expect(voice.calendar).toBe('7x24');
    expect(voice.menu.map((m) => [m.key, m.action])).toEqual([['1', 'report'], ['2', 'status'], ['3', 'urgent'], ['9', 'repeat'], ['0', 'operator']]);
    expect(voice.voicemail).toEqual({ maxLengthSeconds: 120, transcribe: true, waitRounds: 5 });
    expect(smsConfigSchema.parse(undefined)).toEqual({ notifyStatuses: ['in_progress', 'pending', 'closed'], maxLength: 640 });
  });

  it('reject a menu key that is not a keypad key, an unknown action and unknown settings', () => {
    const item = { key: '1', action: 'report', prompt: { zh: '报告', en: 'Report' } };
    expect(voiceConfigSchema.safeParse({ menu: [item] }).success).toBe(true);
    expect(voiceConfigSchema.safeParse({ menu: [{ ...item, key: '12' }] }).success).toBe(false);
    expect(voiceConfigSchema.safeParse({ menu: [{ ...item, action: 'transfer' }] }).success).toBe(false);
    expect(voiceConfigSchema.safeParse({ greting: { zh: '你好', en: 'Hi' } }).success).toBe(false);
    expect(smsConfigSchema.safeParse({ maxLength: 5000 }).success).toBe(false);
  });

  it('turn the channel off, saying why, when its secrets are absent', () => {
    const ctx = (env: Record<string, string>) => ({ env }) as unknown as ChannelContext;
    expect(createTwilioChannel(ctx({}))).toEqual({ off: 'TWILIO_AUTH_TOKEN not set' });
    expect(createTwilioChannel(ctx({ TWILIO_AUTH_TOKEN: 't', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }))).toEqual({ off: 'TWILIO_FROM not set' });
  });
});
