import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(readFileSync(new URL('../../../slack/manifest.yaml', import.meta.url), 'utf8'));

describe('slack/manifest.yaml', () => {
  it('sends events, interactivity and /spoc to POST /slack/events', () => {
    const url = 'https://<PUBLIC_BASE_URL>/slack/events';
    expect(manifest.settings.event_subscriptions.request_url).toBe(url);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: '/spoc', url })]);
  });

  it('subscribes to what the adapter listens for and asks for the scopes it uses', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im']),
    );
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'channels:history', 'im:history', 'im:write', 'chat:write', 'commands', 'users:read', 'users:read.email']),
    );
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });
});
