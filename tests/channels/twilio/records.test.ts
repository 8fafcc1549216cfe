import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intakeRecordSchema } from '../../../src/intake/record.js';
import { smsRecord } from '../../../src/channels/twilio/sms/sms-record.js';
import { voicemailRecord } from '../../../src/channels/twilio/voice/voicemail-record.js';
import { spellTicketNumber } from '../../../src/channels/twilio/speech.js';
import { detectLanguage } from '../../../src/intake/language.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, string>;
const ID = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const AT = '2026-11-20T02:00:00.000Z';

describe('voicemail normaliser', () => {
  const recording = { name: 'RE0c3a5a2fd3f1d2e9a5b2c1d0e9f8a7b6.mp3', contentType: 'audio/mpeg', size: 3, sha256: 'a'.repeat(64), ref: `sha256:${'a'.repeat(64)}` };

  it('makes the transcription the body and the audio an attachment, keeping the recording URL', () => {
    const p = fixture('voice-transcription.json');
    const rec = intakeRecordSchema.parse(
      voicemailRecord({ id: ID, receivedAt: AT, callSid: p.CallSid!, recordingSid: p.RecordingSid!, recordingUrl: p.RecordingUrl!, from: p.From!, lang: 'en', kind: 'report', transcription: p.TranscriptionText, recording }),
    );
    expect(rec.dedupeKey).toBe('voice:RE0c3a5a2fd3f1d2e9a5b2c1d0e9f8a7b6');
    expect(rec.body).toBe(p.TranscriptionText);
    expect(rec.attachments).toEqual([recording]);
    expect(rec.subject).toMatch(/^Voicemail: Hi, this is Alice/);
    expect(rec.subject.length).toBeLessThanOrEqual('Voicemail: '.length + 80);
    expect(rec.requester).toEqual({ phone: '+14155550100', language: 'en' });
    expect(rec.meta).toMatchObject({ ivr_choice: 'report', recording_url: p.RecordingUrl, call_sid: p.CallSid, transcribed: 'true' });
    expect(rec.meta.urgent_line).toBeUndefined();
  });

  it('marks a missed urgent call and survives a failed transcription from an anonymous caller', () => {
    const p = fixture('voice-transcription-failed.json');
    const rec = intakeRecordSchema.parse(
      voicemailRecord({ id: ID, receivedAt: AT, callSid: p.CallSid!, recordingSid: p.RecordingSid!, recordingUrl: p.RecordingUrl!, from: p.From!, lang: 'zh', kind: 'urgent' }),
    );
    expect(rec.requester).toEqual({ language: 'zh' });
    expect(rec.subject).toBe('紧急热线未接通');
    expect(rec.body).toBe(`（留言未能转写，请收听录音）\n\n录音: ${p.RecordingUrl}`);
    expect(rec.attachments).toEqual([]);
    expect(rec.meta).toMatchObject({ urgent_line: 'missed', ivr_choice: 'urgent', transcribed: 'false' });
  });
});

describe('SMS normaliser', () => {
  it('keeps the sender, the named ticket, the media and the conversation', () => {
    const p = fixture('sms-incoming-zh.json');
    const rec = intakeRecordSchema.parse(smsRecord({ id: ID, receivedAt: AT, params: p }));
    expect(rec).toMatchObject({
      channel: 'sms',
      dedupeKey: 'sms:SM5f7c2a1e9b8d4c3a2f1e0d9c8b7a6f5e',
      requester: { phone: '+8613800138000', language: 'zh' },
      subject: 'VPN连不上，INC-000042 还是没解决',
      language: 'zh',
      thread: { ticketNumber: 'INC-000042', conversationId: 'sms:+8613800138000' },
      meta: { to: '+8610800000000', 'media.0': p.MediaUrl0 },
    });
    expect(rec.body).toBe(p.Body);
  });

  it('makes a subject of an empty text with media', () => {
    const rec = smsRecord({ id: ID, receivedAt: AT, params: { MessageSid: 'SM1', From: '+14155550100', Body: '', NumMedia: '1', MediaUrl0: 'https://api.twilio.com/m/ME1' } });
    expect(rec).toMatchObject({ subject: 'SMS +14155550100', body: '(1 media)', language: 'en', thread: { conversationId: 'sms:+14155550100' } });
  });
});

describe('speech', () => {
  it('spells ticket numbers one character at a time', () => {
    expect(spellTicketNumber('INC-000042')).toBe('I N C, 0 0 0 0 4 2');
    expect(spellTicketNumber('REQ-001234')).toBe('R E Q, 0 0 1 2 3 4');
  });
  it('detects Chinese text', () => {
    expect(detectLanguage('打印机坏了')).toBe('zh');
    expect(detectLanguage('printer jam')).toBe('en');
  });
});
