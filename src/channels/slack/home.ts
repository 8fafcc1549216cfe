import type { App } from '@slack/bolt';
import { homeView } from './blocks.js';
import type { SlackDeps } from './deps.js';
import { languageOf, ticketsOf } from './listings.js';

/** App Home: rebuilt each time it is opened, so it is never stale. */
export function registerHome(app: App, d: SlackDeps) {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab && event.tab !== 'home') return;
    // Detached: the event is answered at once, and the Web API call runs after the ack.
    void (async () => {
      const lists = await ticketsOf(d, event.user);
      await d.client.views.publish({ user_id: event.user, view: homeView({ ...lists, timezone: d.timezone, lang: await languageOf(d, event.user) }) });
    })().catch((err: unknown) => d.log.warn({ err: (err as Error).message }, 'App Home not published'));
  });
}
