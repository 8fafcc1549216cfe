import type { ChannelState } from '../types.js';
import { keys } from './refs.js';

/**
 * Runs an agent action caused by a Slack event once, however often Slack retries the event. Intake has
 * its own dedupe; this is for thread replies, which go straight to the ticket service. A failed run is
 * marked so Slack's retry may try again.
 */
export async function oncePerEvent(state: ChannelState, eventId: string, fn: () => Promise<void>): Promise<boolean> {
  const key = keys.event(eventId);
  if (!(await state.setIfAbsent(key, 'started'))) {
    if ((await state.get(key)) !== 'failed') return false;
    await state.set(key, 'started');
  }
  try {
    await fn();
    await state.set(key, 'done');
    return true;
  } catch (err) {
    await state.set(key, 'failed');
    throw err;
  }
}
