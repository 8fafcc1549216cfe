/**
 * What a requester means by writing to a ticket that was just resolved. A polite "好了，谢谢" or
 * "fixed, thanks" must not reopen the ticket it confirms; "还是不行" / "still broken" must. Anything else
 * ("which model is it?") joins the ticket as a message and reopens only when it reads as the same problem
 * persisting ("again", "同样的问题"): `persisting`. Not-fixed phrases are checked first, because "thanks, but
 * it still doesn't work" is a complaint.
 */
export type ReplyIntent = 'confirmed' | 'not_fixed' | 'persisting' | 'other' | 'auto_reply';

export interface ReadIntent {
  intent: ReplyIntent;
  /** The phrase that decided it, for the event (the reports and reviewers see why). */
  why: string;
}

const NOT_FIXED: readonly RegExp[] = [
  /还是不行|仍然不行|依然不行|还不行|没解决|未解决|没有解决|没好|还没好|不能用|还是有问题|又坏了|又出现/,
  /\b(still|again)\b.{0,30}\b(broken|not|doesn'?t|does not|isn'?t|fail(s|ing)?|crash(es|ing)?|error)\b/i,
  /\bnot (fixed|solved|resolved|working)\b/i,
  /\b(doesn'?t|does not|didn'?t|did not) (work|help|fix)\b/i,
  // The problem named as the one before: stronger than any thanks around it.
  /同样的(问题|错误|情况)|一样的(问题|错误)|老问题/,
  /\b(same (problem|issue|error)|keeps? (happening|failing|crashing)|came back)\b/i,
];

const CONFIRMED: readonly RegExp[] = [
  /好了|可以了|已解决|解决了|没问题了|正常了|谢谢|多谢|感谢|好的/,
  /\b(works?( now)?|working( now)?|fixed|solved|resolved|all good|thanks?|thank you|cheers|perfect|great)\b/i,
];

/** The problem is back or never left, said without "not fixed": the same ticket is worked again. */
const PERSISTING: readonly RegExp[] = [/又|再次|还是|仍然|依然/, /\b(again|still)\b/i];

/** SMS offers "1 = fixed, 2 = not fixed": a bare digit answers that question. */
const DIGIT: Readonly<Record<string, ReplyIntent>> = { '1': 'confirmed', '2': 'not_fixed' };

export function readReplyIntent(text: string): ReadIntent {
  const body = text.trim();
  const digit = DIGIT[body];
  if (digit) return { intent: digit, why: `answered ${body}` };
  for (const [intent, patterns] of [['not_fixed', NOT_FIXED], ['confirmed', CONFIRMED], ['persisting', PERSISTING]] as const) {
    for (const pattern of patterns) {
      const hit = pattern.exec(body);
      if (hit) return { intent, why: `said "${hit[0]}"` };
    }
  }
  return { intent: 'other', why: 'no confirmation, complaint or recurring problem recognised' };
}
