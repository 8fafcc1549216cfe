import { describe, expect, it } from 'vitest';
import { slackConfigSchema } from '../../../src/channels/slack/config.js';

describe('slackConfigSchema', () => {
  it('works with no section at all', () => {
    expect(slackConfigSchema.parse(undefined)).toEqual({ noteMarker: 'note:', postIntervalMs: 1000, summaryLength: 280, listLimit: 10 });
  });

  it('refuses unknown keys so a typo is reported at boot', () => {
    expect(slackConfigSchema.safeParse({ noteMarkr: '#' }).success).toBe(false);
  });
});
