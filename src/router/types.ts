import type { IntakeRecord } from '../intake/record.js';

export type Level = 'high' | 'medium' | 'low';
export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export type Tier = 'L1' | 'L2' | 'L3';

/** What the directory knows of a requester that rules may match on. */
export interface RequesterProfile {
  id?: string;
  name?: string;
  department?: string;
  vip?: boolean;
  location?: string;
  language?: 'zh' | 'en';
}

/** The router's input: the normalised contact and who sent it. */
export interface RouteInput {
  record: Pick<IntakeRecord, 'channel' | 'subject' | 'body' | 'meta'> & Partial<Pick<IntakeRecord, 'receivedAt'>>;
  requester?: RequesterProfile;
}

/** One step of the explanation: a rule that matched, why, what it set, and what later rules overrode. */
export interface TraceEntry {
  rule: string;
  description: string;
  /** Human-readable reasons, e.g. `keywords any: "vpn", "连不上"`. */
  matched: string[];
  set: Record<string, unknown>;
  overriddenBy?: Record<string, string>;
  stopped?: boolean;
}

export interface RouteDecision {
  type: string;
  category: string;
  service?: string;
  impact: Level;
  urgency: Level;
  priority: Priority;
  tier: Tier;
  team: string;
  slaPolicy: string;
  calendar: string;
  /** ISO timestamps (UTC). */
  respondBy: string;
  resolveBy: string;
  tags: string[];
  trace: TraceEntry[];
  /** One line for humans: the rules that decided it. */
  reason: string;
}
