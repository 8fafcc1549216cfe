/**
 * What the desk's labelled examples teach on top of the rules: a naive Bayes model per decision (type,
 * team) over the contact's words and what the rules made of it ("stacked"). Keyword rules know only the
 * words someone thought of; measured leave-one-batch-out on the shipped examples, the model corrects about
 * a third of the rules' mistakes on text the rules never saw (see the README, "Routing accuracy").
 */

const HAN = /\p{Script=Han}/u;
// One token per run of Han characters or per other word (letters and digits); punctuation and emoji
// separate, and so does a change of script ("VPN连不上" is "vpn" and "连不上").
const TOKEN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+(?:['’](?:(?!\p{Script=Han})\p{L})+)?/gu;

/** What the rules decided, as the model sees it. */
export interface RulesView {
  /** Rules that matched, in order. */
  rules: readonly string[];
  type: string;
  /** True when no rule set the type (the fallback did). */
  typeFallback: boolean;
  team: string;
  /** True when no rule named the team (the type's or tier's default did). */
  teamDefault: boolean;
}

/**
 * A contact's distinct features: Han character unigrams and bigrams, Latin words and word pairs, and the
 * rules' verdict. Not the channel: the same words mean the same on every channel (where the channel does
 * matter, as for alerts, a rule says so and shows here). Presence, not counts: a long mail repeating "printer" is not more about
 * printers, and signatures would otherwise dominate. `folded` is the subject and body, Traditional folded
 * to Simplified as the router already does for its matcher.
 */
export function contactFeatures(folded: string, view: RulesView): Set<string> {
  const out = new Set<string>([`#type:${view.type}${view.typeFallback ? ':fallback' : ''}`, `#team:${view.team}${view.teamDefault ? ':default' : ''}`]);
  for (const rule of view.rules) out.add(`#rule:${rule}`);
  let previousWord: string | undefined;
  for (const m of folded.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    const token = m[0];
    if (HAN.test(token[0]!)) {
      for (let i = 0; i < token.length; i++) {
        out.add(token[i]!);
        if (i + 1 < token.length) out.add(token.slice(i, i + 2));
      }
      // "VPN连不上" keeps the word but does not pair it across the Han run.
      previousWord = undefined;
    } else {
      out.add(`w:${token}`);
      if (previousWord) out.add(`w:${previousWord} ${token}`);
      previousWord = token;
    }
  }
  return out;
}

/** The model's answer for one decision: the most likely label, its posterior, and what weighed most for it. */
export interface Verdict {
  label: string;
  probability: number;
  /** Up to four features that favoured `label` most over the rules' answer; empty when they agree. */
  evidence: string[];
}

/**
 * Multinomial naive Bayes over binary features, one per decision (type, team), sharing one vocabulary so a
 * contact's features are looked up once. Features never seen in training are ignored.
 */
export interface LearnedModel {
  examples: number;
  /** Distinct features the model knows. */
  features: number;
  /** Each decision's verdict, against what the rules answered. */
  judge(features: Iterable<string>, rules: Record<Decision, string>): Record<Decision, Verdict>;
}

export type Decision = 'type' | 'team';
const DECISIONS: readonly Decision[] = ['type', 'team'];

interface Table {
  classes: string[];
  classOf: Map<string, number>;
  /** logLikelihood[id * K + k] = log P(feature id | class k) */
  logLikelihood: Float64Array;
  logPrior: Float64Array;
}

/** `smoothing` is additive (Lidstone): lower trusts rare features more. */
export function trainModel(rows: ReadonlyArray<{ features: Iterable<string>; labels: Record<Decision, string> }>, smoothing: number): LearnedModel {
  const vocabulary = new Map<string, number>();
  const names: string[] = [];
  const rowIds = rows.map((r) => {
    const ids: number[] = [];
    for (const f of r.features) {
      let id = vocabulary.get(f);
      if (id === undefined) {
        vocabulary.set(f, (id = names.length));
        names.push(f.startsWith('w:') ? f.slice(2) : f);
      }
      ids.push(id);
    }
    return ids;
  });
  const V = names.length;

  const tables = {} as Record<Decision, Table>;
  for (const decision of DECISIONS) {
    const classes = [...new Set(rows.map((r) => r.labels[decision]))].sort();
    const classOf = new Map(classes.map((c, i) => [c, i]));
    const K = classes.length;
    const counts = new Float64Array(V * K);
    const docs = new Float64Array(K);
    const totals = new Float64Array(K);
    rows.forEach((r, i) => {
      const k = classOf.get(r.labels[decision])!;
      docs[k]!++;
      for (const id of rowIds[i]!) {
        counts[id * K + k]!++;
        totals[k]!++;
      }
    });
    const logLikelihood = new Float64Array(V * K);
    for (let id = 0; id < V; id++) {
      for (let k = 0; k < K; k++) logLikelihood[id * K + k] = Math.log((counts[id * K + k]! + smoothing) / (totals[k]! + smoothing * V));
    }
    tables[decision] = { classes, classOf, logLikelihood, logPrior: docs.map((n) => Math.log(n / rows.length)) };
  }

  function verdict(t: Table, ids: readonly number[], rules: string): Verdict {
    const K = t.classes.length;
    const scores = Float64Array.from(t.logPrior);
    for (const id of ids) for (let k = 0; k < K; k++) scores[k]! += t.logLikelihood[id * K + k]!;
    let best = 0;
    for (let k = 1; k < K; k++) if (scores[k]! > scores[best]!) best = k;
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(scores[k]! - scores[best]!);
    const other = t.classOf.get(rules);
    // Evidence is wanted only where the model disagrees with the rules: the features that moved it most.
    const evidence =
      other === undefined || other === best
        ? []
        : ids
            .map((id) => ({ id, weight: t.logLikelihood[id * K + best]! - t.logLikelihood[id * K + other]! }))
            .filter((e) => e.weight > 0)
            .sort((a, b) => b.weight - a.weight)
            .slice(0, 4)
            .map((e) => names[e.id]!);
    return { label: t.classes[best]!, probability: 1 / z, evidence };
  }

  return {
    examples: rows.length,
    features: V,
    judge(features, rules) {
      const ids: number[] = [];
      for (const f of features) {
        const id = vocabulary.get(f);
        if (id !== undefined) ids.push(id);
      }
      return { type: verdict(tables.type, ids, rules.type), team: verdict(tables.team, ids, rules.team) };
    },
  };
}
