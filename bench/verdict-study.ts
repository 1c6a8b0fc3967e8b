/**
 * Are the verdicts honest on real boots? Resamples the trials of large runs (many trials of one
 * variant at one point) into comparisons whose truth is known:
 *   A/A: both sides drawn from the same pool, without replacement: any FASTER or SLOWER is a
 *        false alarm, whose rate must stay at or below alpha;
 *   A/B: the same draw with the new side's times scaled by a known factor (×1.05, ×1.5, ×10):
 *        the rate of SLOWER is the power to see that change.
 * Each at 3 + 3, 5 + 5 and 10 + 10 trials, under the rule (the verdict as users get it) and
 * under each test alone. Not a test: it prints a table (README "How verdicts are decided").
 *   node dist/bench/verdict-study.js [--resamples 2000] [--metric totalMs] [--seed 1] RUN_DIR...
 * With no RUN_DIR, the journals recorded for this study in bench/data/ are read.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compareTimes, createRng, median, type Rng, type TestName } from '../harness/analyze/index.js';
import { projectRoot } from '../harness/core/paths.js';
import { readJournal } from '../harness/journal/journal.js';
import { phaseNames, type PhaseName } from '../harness/record/phases.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    resamples: { type: 'string', default: '2000' },
    metric: { type: 'string', default: 'totalMs' },
    seed: { type: 'string', default: '1' },
    'min-pool': { type: 'string', default: '20' },
  },
});
const resamples = Number(values.resamples);
const metric = values.metric as PhaseName;
if (!phaseNames.includes(metric)) throw new Error(`--metric: one of ${phaseNames.join(', ')}`);
const sizes = [3, 5, 10];
const factors = [1.05, 1.5, 10];
const alpha = 0.01;
type Way = 'rule' | TestName;
const ways: Way[] = ['rule', 'welch-log', 'rank'];

interface Pool {
  label: string;
  times: number[];
}

async function pools(dirs: string[]): Promise<Pool[]> {
  const byKey = new Map<string, number[]>();
  for (const dir of dirs) {
    for (const o of await readJournal(join(dir, 'journal.jsonl'))) {
      const ms = o.phases[metric];
      if (o.outcome !== 'ok' || o.warmup || ms === null || !(ms > 0)) continue;
      const key = `${o.case} ${o.variant.name} ${o.point}`;
      byKey.set(key, [...(byKey.get(key) ?? []), ms]);
    }
  }
  return [...byKey].filter(([, times]) => times.length >= Number(values['min-pool'])).map(([label, times]) => ({ label, times }));
}

/** 2k distinct trials of the pool, dealt into two sides of k. */
function draw(rng: Rng, times: readonly number[], k: number): [number[], number[]] {
  const copy = [...times];
  for (let i = 0; i < 2 * k; i++) {
    const j = i + Math.floor(rng.next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return [copy.slice(0, k), copy.slice(k, 2 * k)];
}

interface Rates {
  /** A/A: share of FASTER or SLOWER. */
  falseAlarm: Record<Way, number>;
  /** A/B by factor: share of SLOWER. */
  power: Record<Way, number[]>;
  /** How often the rule chose Welch's test (A/A draws). */
  welchShare: number;
}

function study(pool: Pool, k: number, rng: Rng): Rates {
  const zero = () => Object.fromEntries(ways.map((w) => [w, 0])) as Record<Way, number>;
  const falseAlarm = zero();
  const power = Object.fromEntries(ways.map((w) => [w, factors.map(() => 0)])) as Record<Way, number[]>;
  let welch = 0;
  for (let r = 0; r < resamples; r++) {
    const [a, b] = draw(rng, pool.times, k);
    for (const way of ways) {
      const opts = { alpha, resamples: 1000, seed: r, ...(way === 'rule' ? {} : { forceTest: way }) };
      const aa = compareTimes(a, b, opts);
      if (way === 'rule' && aa.method === 'welch-log') welch++;
      if (aa.verdict === 'FASTER' || aa.verdict === 'SLOWER') falseAlarm[way]++;
      factors.forEach((f, i) => {
        if (compareTimes(a, b.map((x) => x * f), opts).verdict === 'SLOWER') power[way][i]!++;
      });
    }
  }
  const share = (n: number) => n / resamples;
  return {
    falseAlarm: Object.fromEntries(ways.map((w) => [w, share(falseAlarm[w])])) as Record<Way, number>,
    power: Object.fromEntries(ways.map((w) => [w, power[w].map(share)])) as Record<Way, number[]>,
    welchShare: share(welch),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** "86.0% (99.0%, 0.0%)": the rule, then Welch's test alone and the rank test alone. */
const byWay = (rate: (w: Way) => number) => `${pct(rate('rule'))} (${pct(rate('welch-log'))}, ${pct(rate('rank'))})`;
const spread = (times: readonly number[]) => {
  const logs = times.map(Math.log);
  const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
  return Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / (logs.length - 1));
};

const dirs = positionals.length > 0 ? positionals : (await readdir(join(projectRoot(), 'bench', 'data'))).map((d) => join(projectRoot(), 'bench', 'data', d));
const found = await pools(dirs);
if (found.length === 0) throw new Error(`no pool of ${values['min-pool']} or more ok trials of one variant at one point in ${dirs.join(', ')}`);
const rng = createRng(Number(values.seed));
console.log(`${metric}, alpha ${alpha}, threshold 5%, ${resamples} resamples per cell. Each cell: the rule (Welch, rank test alone).`);
console.log('A/A: both sides from the pool, any FASTER or SLOWER is a false alarm. ×f: the new side scaled by f, the share called SLOWER.');
const header = ['pool', 'n', 'sd(log)', 'size', 'Welch chosen', 'A/A false alarms', ...factors.map((f) => `×${f} called`)];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const pool of found) {
  for (const k of sizes.filter((s) => 2 * s <= pool.times.length)) {
    const r = study(pool, k, rng);
    const cells = [
      pool.label,
      String(pool.times.length),
      `${spread(pool.times).toFixed(2)} (median ${(median(pool.times) / 1000).toFixed(1)} s)`,
      `${k} + ${k}`,
      pct(r.welchShare),
      byWay((w) => r.falseAlarm[w]),
      ...factors.map((_, i) => byWay((w) => r.power[w][i]!)),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}
