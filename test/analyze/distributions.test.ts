import t, { type Test } from 'tap';
import { lnGamma, normalCdf, normalSf, studentTCdf, studentTQuantile } from '../../harness/analyze/index.js';

function near(t: Test, got: number, want: number, tol: number, msg: string): void {
  t.ok(Math.abs(got - want) <= tol, `${msg}: got ${got}, want ${want} ± ${tol}`);
}

t.test('Student t quantiles match published tables / R qt()', async (t) => {
  // R: qt(0.975, df) for df = 1, 2, 3, 5, 10, 30, 48, 100 (also the
  // two-sided 5% column of any t table: 12.706, 4.303, 3.182, 2.571, 2.228,
  // 2.042, 2.011, 1.984). Values to 6+ digits as printed by R / scipy.
  const table: Array<[number, number]> = [
    [1, 12.706204736],
    [2, 4.302652730],
    [3, 3.182446305],
    [5, 2.570581836],
    [10, 2.228138852],
    [30, 2.042272456],
    [48, 2.010634758],
    [100, 1.983971519],
  ];
  for (const [df, q] of table) near(t, studentTQuantile(0.975, df), q, 1e-8, `qt(0.975, ${df})`);
  // Other levels: qt(0.995, 4) = 4.604095, qt(0.95, 7) = 1.894579, qt(0.025, 9) = -2.262157
  near(t, studentTQuantile(0.995, 4), 4.604094871, 1e-7, 'qt(0.995, 4)');
  near(t, studentTQuantile(0.95, 7), 1.894578605, 1e-7, 'qt(0.95, 7)');
  near(t, studentTQuantile(0.025, 9), -2.262157163, 1e-7, 'qt(0.025, 9)');
  near(t, studentTQuantile(0.975, 1e6), 1.959966, 1e-5, 'large df approaches the normal 1.959964');
  t.equal(studentTQuantile(0.5, 3), 0);
});

t.test('Student t CDF inverts the quantile and has closed forms', async (t) => {
  // df = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi. df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
  for (const x of [-5, -1, -0.3, 0, 0.7, 2, 10]) {
    near(t, studentTCdf(x, 1), 0.5 + Math.atan(x) / Math.PI, 1e-13, `Cauchy cdf(${x})`);
    near(t, studentTCdf(x, 2), 0.5 + x / (2 * Math.sqrt(2 + x * x)), 1e-13, `t2 cdf(${x})`);
  }
  for (const df of [1, 3, 8, 25]) {
    for (const p of [0.001, 0.05, 0.3, 0.9, 0.999]) {
      near(t, studentTCdf(studentTQuantile(p, df), df), p, 1e-10, `round trip p=${p}, df=${df}`);
    }
  }
  t.throws(() => studentTQuantile(0, 3));
  t.throws(() => studentTQuantile(0.5, 0));
});

t.test('normal CDF matches tables', async (t) => {
  // Abramowitz & Stegun table 26.1 / R pnorm().
  near(t, normalCdf(0), 0.5, 1e-15, 'Phi(0)');
  near(t, normalCdf(-1), 0.158655253931457, 1e-14, 'Phi(-1)');
  near(t, normalCdf(1.959963984540054), 0.975, 1e-14, 'Phi(1.96)');
  near(t, normalCdf(-3), 0.00134989803163009, 1e-15, 'Phi(-3)');
  near(t, normalSf(5) / 2.866515718791939e-7, 1, 1e-9, 'relative accuracy in the far tail, Q(5)');
  near(t, normalSf(10) / 7.61985302416047e-24, 1, 1e-8, 'relative accuracy at Q(10)');
});

t.test('lnGamma matches factorials', async (t) => {
  near(t, lnGamma(1), 0, 1e-14, 'ln 0!');
  near(t, lnGamma(5), Math.log(24), 1e-13, 'ln 4!');
  near(t, lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14, 'ln Gamma(1/2)');
  near(t, lnGamma(101), 363.73937555556347, 1e-10, 'ln 100!');
});
