import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { parseDocument } from 'yaml';

const REPO_CONFIG = fileURLToPath(new URL('../../../config', import.meta.url));
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The rule the lead is asked to add to config/rules.yaml: a missed urgent call is at least P2. */
export const MISSED_URGENT_RULE = {
  id: 'ivr-urgent-line-missed',
  description: 'nobody answered the urgent line and the caller left a voicemail',
  when: { channel: 'voice', meta: { urgent_line: 'missed' } },
  set: { type: 'incident', impact: 'medium', urgency: 'high', tags: ['ivr-urgent', 'missed-urgent-call'] },
};

/**
 * A copy of the repo's config for one test run: on-call numbers for the L1 desk (the repo ships none),
 * optionally a hotline calendar that is closed right now, and the missed-urgent-call rule unless the repo
 * already has one.
 */
export function twilioConfigDir(opts: { onCall: string[]; closedNow?: boolean }): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-twilio-config-'));
  cpSync(REPO_CONFIG, dir, { recursive: true });

  const gatewayFile = join(dir, 'gateway.yaml');
  const gateway = parseDocument(readFileSync(gatewayFile, 'utf8'));
  gateway.setIn(['teams', 'service-desk', 'onCall'], opts.onCall);
  if (opts.closedNow) {
    const tz = String(gateway.getIn(['desk', 'timezone']) ?? 'Asia/Shanghai');
    // Open only on a weekday three days from today (in the desk's zone): closed now, and still a valid calendar.
    const day = WEEKDAYS[(DateTime.now().setZone(tz).weekday - 1 + 3) % 7]!;
    gateway.setIn(['calendars', 'hotline-test'], { description: 'closed today', timezone: tz, days: [day], hours: ['09:00-17:00'], observeHolidays: false });
    gateway.setIn(['channels', 'voice', 'calendar'], 'hotline-test');
  }
  writeFileSync(gatewayFile, gateway.toString());

  const rulesFile = join(dir, 'rules.yaml');
  const rulesText = readFileSync(rulesFile, 'utf8');
  if (!rulesText.includes('urgent_line')) {
    const rules = parseDocument(rulesText);
    rules.addIn(['rules'], MISSED_URGENT_RULE);
    writeFileSync(rulesFile, rules.toString());
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
