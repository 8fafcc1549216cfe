import { describe, expect, it } from 'vitest';
import { parseForm, verifyTwilioSignature } from '../../../src/channels/twilio/signature.js';

// The published examples of twilio-node's own test suite (spec/validation.spec.js).
const token = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
const signature = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
const body = '{"property": "value", "boolean": true}';
const bodyHash = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
const urlWithHash = `${url}&bodySHA256=${bodyHash}`;
const urlWithHashSignature = 'a9nBmqA0ju/hNViExpshrM61xv4=';
const emptyBodyUrl = `${url}&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`;
const emptyBodySignature = 'Ldidvp12m26NI7eqEvxnEpkd9Hc=';
const arrayParams = { 'MessagingBinding.Address': ['+1325xxxxxxx', '+1415xxxxxxx'] };
const arraySignature = '83O6e2vORAoJHUNzJjDWN1jz+BA=';

describe('Twilio signatures (twilio-node published examples)', () => {
  it('verifies the form example, with the port added or not', () => {
    expect(verifyTwilioSignature(token, { signature, url, params })).toBe('ok');
    expect(verifyTwilioSignature(token, { signature, url: url.replace('.com', '.com:443'), params })).toBe('ok');
  });

  it('verifies the bodySHA256 examples for JSON bodies', () => {
    expect(verifyTwilioSignature(token, { signature: urlWithHashSignature, url: urlWithHash, jsonBody: body })).toBe('ok');
    expect(verifyTwilioSignature(token, { signature: emptyBodySignature, url: emptyBodyUrl, jsonBody: '{}' })).toBe('ok');
  });

  it('verifies repeated parameters, parsed from a form body', () => {
    const form = parseForm('MessagingBinding.Address=%2B1325xxxxxxx&MessagingBinding.Address=%2B1415xxxxxxx');
    expect(form).toEqual(arrayParams);
    expect(verifyTwilioSignature(token, { signature: arraySignature, url, params: form })).toBe('ok');
  });

  it('rejects altered copies', () => {
    expect(verifyTwilioSignature(token, { signature, url, params: { ...params, Digits: '9999' } })).toBe('invalid');
    expect(verifyTwilioSignature(token, { signature, url, params: { ...params, Extra: 'x' } })).toBe('invalid');
    expect(verifyTwilioSignature(token, { signature, url: `${url}&baz=3`, params })).toBe('invalid');
    expect(verifyTwilioSignature(token, { signature, url: url.replace('mycompany', 'othercompany'), params })).toBe('invalid');
    expect(verifyTwilioSignature('54321', { signature, url, params })).toBe('invalid');
    expect(verifyTwilioSignature(token, { signature: signature.replace('R', 'S'), url, params })).toBe('invalid');
    expect(verifyTwilioSignature(token, { signature: urlWithHashSignature, url: urlWithHash, jsonBody: body.replace('true', 'false') })).toBe('invalid');
    expect(verifyTwilioSignature(token, { signature: urlWithHashSignature, url: urlWithHash.slice(0, -1), jsonBody: body })).toBe('invalid');
  });

  it('tells a missing signature from a wrong one', () => {
    expect(verifyTwilioSignature(token, { signature: undefined, url, params })).toBe('missing');
    expect(verifyTwilioSignature(token, { signature: '', url, params })).toBe('missing');
  });
});
