/**
 * Slack's mrkdwn reads `&`, `<` and `>` as control characters: `<!channel>` pings a channel, `<@U…>` a
 * person, `<https://x|label>` hides a link. Every piece of requester (or any outside) text that goes to
 * Slack — top-level `text` included, since it drives notifications — passes through here.
 */
export const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A mrkdwn text object for outside text: escaped by the caller, and `verbatim` so Slack auto-links nothing in it. */
export const verbatimMrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });
