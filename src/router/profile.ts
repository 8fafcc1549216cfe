import { SELF_ASSERTED_CHANNELS, type Channel } from '../intake/record.js';
import type { RequesterProfile } from './types.js';

/**
 * What the router may match on of a person (a stored requester or a directory entry) who wrote in on
 * `channel`. A VIP's priority raise needs a channel that vouches for the sender.
 */
export function requesterProfile(person: RequesterProfile, channel: Channel): RequesterProfile {
  const { id, name, department, location, language } = person;
  return { id, name, department, vip: !!person.vip && !SELF_ASSERTED_CHANNELS.has(channel), location, language };
}
