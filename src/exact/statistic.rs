//! A bloc's law of the rule's statistic s = w_yes·yes − w_other·other, built in
//! memory linear in the bloc's seats (never the (k + 1)² table of (yes, other)).
//!
//! **Method.** k exchangeable unnamed members fall into (yes, other, neither) with
//! the multinomial or Dirichlet-multinomial law of [`crate::model::bloc_counts`]; its log
//! probability is a(y) + b(o) + d(k − y − o) from the same log-factorial and
//! log-weight tables. Each (y, o) adds its probability at index
//! w_yes·y + w_other·(k − o) of a vector of (w_yes + w_other)·k + 1 entries. A row
//! y whose mass, the marginal P(yes = y), is below e^[`NEGLIGIBLE`] ≈ 1e-40 is
//! skipped. Within a kept row (n = k − y) the entries are, up to a constant, a
//! Binomial(n, q_other/(q_other + q_neither)) pmf in o without cohesion, and a
//! Beta-binomial(n, c·q_other, c·q_neither) pmf with it, which either peaks or
//! dips (see [`shape`]); so the entries above e^`NEGLIGIBLE` are one run around
//! the peak or the two ends around the dip, each end found by bisection, and
//! only those are visited. An entry is e^(a + b + d) computed by
//! [`vexp`] from splits of a, b and d into mantissas and powers of two made
//! once per table, four entries at a time: within 7 ulp (1.6e-15 relative) of
//! e^(a + b + d), the sum of the doubles taken exactly. The
//! mass skipped is below (k + 1)²·1.1e-40 < 2e-30 for k ≤ 100,000, far below the
//! [`super::TAIL`] trimmed after every convolution. Time is O(kept rows × visited
//! entries): O(k) without cohesion (both span O(√k)), at most O(k²/2) with it
//! (low cohesion visits less), in linear memory. The result is normalised; each
//! entry carries the relative error of the tables, O(k·ε·max|log P|), and the
//! 1.6e-15 of [`vexp`].

use super::vexp;
use crate::model::{concentration, log_factorials, log_weights};

/// Log probabilities below this (1.1e-40) are left out of a bloc's statistic.
pub const NEGLIGIBLE: f64 = -92.0;

/// The law of s = wy·yes − wo·other for `k` members with category probabilities
/// `q = [yes, other, neither]` and cohesion `rho`, indexed by s + wo·k, and
/// P(yes = 0, other = 0).
pub fn unnamed_statistic(k: u32, q: [f64; 3], rho: f64, wy: usize, wo: usize) -> (Vec<f64>, f64) {
    let k = k as usize;
    let mut out = vec![0.0; (wy + wo) * k + 1];
    let at = |y: usize, o: usize| wy * y + wo * (k - o);
    if k == 0 {
        out[0] = 1.0;
        return (out, 1.0);
    }
    if rho >= 1.0 {
        out[at(k, 0)] += q[0];
        out[at(0, k)] += q[1];
        out[at(0, 0)] += q[2];
        return (out, q[2]);
    }
    let rows = Rows::new(k, q, rho);
    let mut row = vec![0.0; k + 1];
    for y in (0..=k).filter(|&y| rows.mass(y) >= NEGLIGIBLE) {
        for (low, high) in rows.visited(y).into_iter().flatten() {
            // Entries m = n − o from n − high to n − low, forward in b_reversed and d.
            let (m0, m1) = (k - y - high, k - y - low);
            let (b, d) = (rows.b_reversed.run(y + m0, y + m1), rows.d.run(m0, m1));
            let (out, a) = (&mut out[at(y, high)..], vexp::split(rows.a[y]));
            match wo {
                1 => vexp::add_row(&mut out[..=m1 - m0], a, b, d),
                _ => {
                    vexp::row(&mut row[..=m1 - m0], a, b, d);
                    scatter(out, wo, &row[..=m1 - m0]);
                }
            }
        }
    }
    let total: f64 = out.iter().sum();
    let empty = rows.lp(0, 0, k).exp() / total;
    out.iter_mut().for_each(|p| *p /= total);
    (out, empty)
}

/// Adds `row[m]` to `out[stride·m]` for each m.
fn scatter(out: &mut [f64], stride: usize, row: &[f64]) {
    match stride {
        0 => row.iter().for_each(|p| out[0] += p),
        _ => out.iter_mut().step_by(stride).zip(row).for_each(|(slot, p)| *slot += p),
    }
}

/// A table of log probabilities split into mantissas and exponents.
struct Split {
    mantissa: Vec<f64>,
    exponent: Vec<f64>,
}

impl Split {
    fn new<'a>(logs: impl Iterator<Item = &'a f64>) -> Self {
        let (mantissa, exponent) = logs.map(|&v| vexp::split(v)).unzip();
        Split { mantissa, exponent }
    }

    /// Entries i..=j.
    fn run(&self, i: usize, j: usize) -> vexp::Split<'_> {
        (&self.mantissa[i..=j], &self.exponent[i..=j])
    }
}

/// The log-probability tables of a bloc's (yes, other, neither) counts: entry
/// (y, o) of row y (n = k − y) has log probability lp = (a[y] + b[o]) + d[n − o].
struct Rows {
    k: usize,
    a: Vec<f64>,
    b: Vec<f64>,
    /// b reversed (b[n − m] = b_reversed[y + m] runs forward with m) and
    /// split, and d split ([`vexp::split`]).
    b_reversed: Split,
    d_log: Vec<f64>,
    d: Split,
    /// The log of P(yes = y) without its a[y], by y: the other two categories merged.
    rest: Vec<f64>,
    lf: std::borrow::Cow<'static, [f64]>,
    /// Where a row's climb to its peak (or descent to its dip) starts, as a
    /// fraction of n + 1.
    start: f64,
    /// Whether each row is unimodal in o (else it falls, then rises).
    peaked: bool,
}

impl Rows {
    fn new(k: usize, q: [f64; 3], rho: f64) -> Self {
        let c = concentration(rho);
        let lf = log_factorials(k);
        let w = q.map(|qi| log_weights(qi, k, c));
        let norm = c.map_or(0.0, |c| log_weights(1.0, k, Some(c))[k]);
        let a = (0..=k).map(|y| lf[k] - lf[y] + w[0][y] - norm).collect();
        let b: Vec<f64> = (0..=k).map(|o| w[1][o] - lf[o]).collect();
        let d_log: Vec<f64> = (0..=k).map(|n| w[2][n] - lf[n]).collect();
        let rest = log_weights(q[1] + q[2], k, c);
        let (start, peaked) = shape(q, c);
        let (b_reversed, d) = (Split::new(b.iter().rev()), Split::new(d_log.iter()));
        Rows { k, a, b, b_reversed, d_log, d, rest, lf, start, peaked }
    }

    fn lp(&self, y: usize, o: usize, n: usize) -> f64 {
        self.a[y] + self.b[o] + self.d_log[n - o]
    }

    /// The log of the marginal P(yes = y), the mass of row y.
    fn mass(&self, y: usize) -> f64 {
        self.a[y] - self.lf[self.k - y] + self.rest[self.k - y]
    }

    /// The runs (low, high) of o in row y where lp ≥ [`NEGLIGIBLE`]: one around
    /// a peak, or the two ends around a dip.
    fn visited(&self, y: usize) -> [Option<(usize, usize)>; 2] {
        let n = self.k - y;
        let start = ((n + 1) as f64 * self.start).clamp(0.0, n as f64) as usize;
        if self.peaked {
            return [level_set(n, start, &|o| self.lp(y, o, n), NEGLIGIBLE), None];
        }
        match level_set(n, start, &|o| -self.lp(y, o, n), -NEGLIGIBLE) {
            None => [Some((0, n)), None],
            Some((low, high)) => [(low > 0).then(|| (0, low - 1)), (high < n).then_some((high + 1, n))],
        }
    }
}

/// Where the climb starts in a row of n (as a fraction of n + 1), and whether
/// rows peak. Without cohesion a row is Binomial(n, q_o/(q_o + q_n)),
/// log-concave. With it, Beta-binomial(n, α = c·q_o, β = c·q_n): the ratio
/// P(o)/P(o − 1) is above 1 exactly where (α − 1)(n + 1) + o·(2 − α − β) > 0,
/// linear in o, so a row peaks if α + β ≥ 2 and dips otherwise, at o near
/// (n + 1)(1 − α)/(2 − α − β).
fn shape(q: [f64; 3], c: Option<f64>) -> (f64, bool) {
    let ratio = q[1] / (q[1] + q[2]);
    match c {
        None => (ratio, ratio.is_finite()),
        Some(c) => {
            let (alpha, beta) = (c * q[1], c * q[2]);
            ((1.0 - alpha) / (2.0 - alpha - beta), alpha + beta >= 2.0)
        }
    }
}

/// The run (low, high) of o in 0..=n around the peak of `f` that a climb from
/// `start` reaches, where f ≥ `level` (None if the peak is below it); f is
/// quasi-concave (it rises to its peak, then falls), so each end is found by
/// bisection.
fn level_set(n: usize, start: usize, f: &dyn Fn(usize) -> f64, level: f64) -> Option<(usize, usize)> {
    let mut peak = start;
    while peak > 0 && f(peak - 1) > f(peak) {
        peak -= 1;
    }
    while peak < n && f(peak + 1) > f(peak) {
        peak += 1;
    }
    if f(peak) < level {
        return None;
    }
    let low = first(0, peak, &|o| f(o) >= level);
    let high = first(peak + 1, n + 1, &|o| f(o) < level) - 1;
    Some((low, high))
}

/// The first o in lo..hi where `holds` (hi if none), which fails, then holds.
fn first(mut lo: usize, mut hi: usize, holds: &dyn Fn(usize) -> bool) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match holds(mid) {
            true => hi = mid,
            false => lo = mid + 1,
        }
    }
    lo
}

/// One named member's law of s, indexed by s + wo: other at 0, neither at wo,
/// yes at wo + wy.
pub fn member_statistic(q: [f64; 3], wy: usize, wo: usize) -> Vec<f64> {
    let mut out = vec![0.0; wy + wo + 1];
    out[0] += q[1];
    out[wo] += q[2];
    out[wo + wy] += q[0];
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bloc_counts;

    /// The statistic of the (k + 1)² joint table, the way it was built before.
    fn from_joint(k: u32, q: [f64; 3], rho: f64, wy: usize, wo: usize) -> Vec<f64> {
        bloc_counts(k, q, rho, true).statistic(wy, wo)
    }

    #[test]
    fn the_statistic_matches_the_full_joint_table() {
        for (k, q, rho) in [
            (40, [0.3, 0.5, 0.2], 0.0),
            (25, [0.6, 0.1, 0.3], 0.3),
            (30, [0.2, 0.7, 0.1], 0.01),
            (9, [0.0, 0.4, 0.6], 0.5),
            (12, [0.5, 0.5, 0.0], 0.0),
            (6, [0.2, 0.3, 0.5], 1.0),
        ] {
            for (wy, wo) in [(1, 1), (63, 1), (1, 2), (0, 1)] {
                let (law, empty) = unnamed_statistic(k, q, rho, wy, wo);
                let reference = from_joint(k, q, rho, wy, wo);
                assert_eq!(law.len(), reference.len());
                for (i, (a, b)) in law.iter().zip(&reference).enumerate() {
                    assert!((a - b).abs() < 1e-13 * b.max(1e-3), "k={k} rho={rho} w=({wy},{wo}) s+{i}: {a} vs {b}");
                }
                let joint = bloc_counts(k, q, rho, true);
                assert!((empty - joint.get(0, 0)).abs() < 1e-15, "k={k} rho={rho}");
            }
        }
    }

    /// x + y = s + e exactly (Knuth's two-sum).
    fn two_sum(x: f64, y: f64) -> (f64, f64) {
        let s = x + y;
        let z = s - x;
        (s, (x - (s - z)) + (y - z))
    }

    /// e^(a + b + d) by the library `exp`, the sum carried exactly as s + e
    /// (e^e = 1 + e to 1e-22 here).
    fn exp_of_sum(a: f64, b: f64, d: f64) -> f64 {
        let (s, e1) = two_sum(a, b);
        let (s, e2) = two_sum(s, d);
        if s.is_finite() { s.exp() * (1.0 + (e1 + e2)) } else { s.exp() }
    }

    /// The statistic summed entry by entry with [`exp_of_sum`] of each entry's
    /// log probability, over the visited runs of the same rows (or, if `full`,
    /// every entry of every row).
    fn entry_by_entry(k: usize, q: [f64; 3], rho: f64, (wy, wo): (usize, usize), full: bool) -> Vec<f64> {
        let rows = Rows::new(k, q, rho);
        let mut out = vec![0.0; (wy + wo) * k + 1];
        for y in (0..=k).filter(|&y| rows.mass(y) >= NEGLIGIBLE) {
            let n = k - y;
            let runs = if full { [Some((0, n)), None] } else { rows.visited(y) };
            for o in runs.into_iter().flatten().flat_map(|(low, high)| low..=high) {
                out[wy * y + wo * (k - o)] += exp_of_sum(rows.a[y], rows.b[o], rows.d_log[n - o]);
            }
        }
        let total: f64 = out.iter().sum();
        out.iter().map(|p| p / total).collect()
    }

    #[test]
    fn a_cohesive_row_leaves_out_only_entries_below_the_negligible_level() {
        // Peaked rows (α + β ≥ 2: low cohesion, or cohesion with large q), dipped
        // rows (a disciplined bloc's few defectors and absentees), one near the border.
        for (k, q, rho, peaked) in [
            (2_000, [0.3, 0.4, 0.3], 0.01, true),
            (2_000, [0.3, 0.4, 0.3], 2e-4, true),
            (1_500, [0.2, 0.6, 0.2], 0.2, true),
            (1_500, [0.2, 0.5, 0.3], 0.3, false),
            (2_000, [0.9, 0.004, 0.096], 0.3, false),
        ] {
            assert_eq!(Rows::new(k, q, rho).peaked, peaked, "k={k} q={q:?} rho={rho}");
            let (law, _) = unnamed_statistic(k as u32, q, rho, 1, 1);
            let reference = entry_by_entry(k, q, rho, (1, 1), true);
            for (i, (a, b)) in law.iter().zip(&reference).enumerate() {
                assert!((a - b).abs() <= 1e-14 * b + 1e-30, "k={k} rho={rho} s+{i}: {a} vs {b}");
            }
        }
        let rows = Rows::new(2_000, [0.3, 0.4, 0.3], 2e-4);
        let kept = (0..=2_000).filter(|&y| rows.mass(y) >= NEGLIGIBLE);
        let visited: usize = kept.flat_map(|y| rows.visited(y)).flatten().map(|(low, high)| high + 1 - low).sum();
        assert!(visited < 2_001 * 2_002 / 8, "cohesion 2e-4 visits {visited} entries, not the k²/2");
    }

    #[test]
    fn a_large_bloc_s_rows_match_the_library_exp_of_every_entry_s_exact_sum() {
        for (k, q, rho) in
            [(3_000, [0.55, 0.05, 0.4], 0.3), (2_001, [0.9, 0.002, 0.098], 0.3), (5_000, [0.3, 0.5, 0.2], 0.0)]
        {
            for (wy, wo) in [(1, 1), (2, 1), (1, 3)] {
                let (law, _) = unnamed_statistic(k as u32, q, rho, wy, wo);
                let reference = entry_by_entry(k, q, rho, (wy, wo), false);
                assert!(reference.iter().filter(|p| **p > 1e-300).count() > 500, "k={k}: rows reached");
                for (i, (a, b)) in law.iter().zip(&reference).enumerate() {
                    assert!((a - b).abs() <= 4e-15 * b, "k={k} rho={rho} w=({wy},{wo}) s+{i}: {a} vs {b}");
                }
            }
        }
    }

    /// A bloc of 20,000 keeps 40,001 entries (not 4·10^8) and is a law.
    #[test]
    fn a_large_bloc_costs_memory_linear_in_its_seats() {
        let (law, _) = unnamed_statistic(20_000, [0.45, 0.4, 0.15], 0.0, 1, 1);
        assert_eq!(law.len(), 40_001);
        let mass: f64 = law.iter().sum();
        assert!((mass - 1.0).abs() < 1e-12, "mass {mass}");
        let mean: f64 = law.iter().enumerate().map(|(i, p)| (i as f64 - 2e4) * p).sum();
        assert!((mean - 1_000.0).abs() < 1e-4, "E s = k(q_yes − q_other) = 1000, got {mean}");
    }
}
