//! Summaries of a distribution of counted yes votes, and the uncertainty of P(pass).
//!
//! Monte Carlo estimates carry the 95% Wilson score interval (z = 1.959964), which
//! keeps its coverage near 0 and 1 where the normal interval collapses; the
//! standard error is the binomial √(p(1 − p)/n). Exact results have no sampling
//! error: the interval is the point and the standard error 0.

use serde::Serialize;

/// The two-sided 95% normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// How a result was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Parallel Monte Carlo sampling.
    MonteCarlo,
    /// The exact engine.
    Exact,
}

impl Method {
    /// `"monte-carlo"` or `"exact"`, as in the JSON summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::MonteCarlo => "monte-carlo",
            Method::Exact => "exact",
        }
    }
}

/// P(pass) and its uncertainty: what a result says about the motion passing,
/// shared by a full [`Estimate`] and its fixed-size [`Summary`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pass {
    /// How it was obtained.
    pub method: Method,
    /// Simulated votes (0 for exact).
    pub trials: u64,
    /// Simulated votes that passed (0 for exact).
    pub passes: u64,
    /// P(pass).
    pub p_pass: f64,
    /// Lower end of the 95% interval on P(pass).
    pub ci_low: f64,
    /// Upper end of the 95% interval on P(pass).
    pub ci_high: f64,
    /// Standard error of P(pass).
    pub std_error: f64,
}

/// A distribution of counted yes votes with P(pass) and its uncertainty.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// P(pass), its interval and how it was obtained.
    pub pass: Pass,
    /// P(exactly k counted yes votes), k = 0..=seats.
    pub probability: Vec<f64>,
    /// Simulated votes with exactly k counted yes votes (Monte Carlo only).
    pub counts: Option<Vec<u64>>,
}

/// Mean, standard deviation and quantiles of the yes count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Mean counted yes votes.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5% quantile: the smallest k with P(yes ≤ k) ≥ 0.05.
    pub p05: u32,
    /// Median.
    pub median: u32,
    /// 95% quantile.
    pub p95: u32,
}

/// The Wilson score interval for `successes` out of `n` at normal quantile `z`.
pub fn wilson(successes: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (all, none) = (successes == n, successes == 0);
    let (n, p) = (n as f64, successes as f64 / n as f64);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 and n successes the bounds are exactly 0 and 1; do not let rounding move them.
    let low = if none { 0.0 } else { (centre - half).max(0.0) };
    let high = if all { 1.0 } else { (centre + half).min(1.0) };
    (low, high)
}

/// Half-width of the 95% Wilson interval.
pub fn wilson_half_width(successes: u64, n: u64) -> f64 {
    let (lo, hi) = wilson(successes, n, Z95);
    (hi - lo) / 2.0
}

impl Estimate {
    /// An exact result: no sampling error.
    pub fn exact(probability: Vec<f64>, p_pass: f64) -> Estimate {
        let pass = Pass {
            method: Method::Exact,
            trials: 0,
            passes: 0,
            p_pass,
            ci_low: p_pass,
            ci_high: p_pass,
            std_error: 0.0,
        };
        Estimate { pass, probability, counts: None }
    }

    /// A Monte Carlo result from a histogram of counted yes votes and a pass count.
    pub fn monte_carlo(counts: Vec<u64>, passes: u64) -> Estimate {
        let trials: u64 = counts.iter().sum();
        let n = trials.max(1) as f64;
        let p_pass = passes as f64 / n;
        let (ci_low, ci_high) = wilson(passes, trials, Z95);
        let std_error = (p_pass * (1.0 - p_pass) / n).sqrt();
        let pass = Pass { method: Method::MonteCarlo, trials, passes, p_pass, ci_low, ci_high, std_error };
        Estimate { pass, probability: counts.iter().map(|&c| c as f64 / n).collect(), counts: Some(counts) }
    }

    /// P(yes ≤ k) for every k; from integer counts when there are any, so that
    /// the result does not depend on summation order.
    pub fn cdf(&self) -> Vec<f64> {
        match &self.counts {
            Some(counts) => {
                running(counts.iter().copied()).map(|c| c as f64 / self.pass.trials.max(1) as f64).collect()
            }
            None => self
                .probability
                .iter()
                .scan(0.0, |acc, p| {
                    *acc += p;
                    Some(acc.min(1.0))
                })
                .collect(),
        }
    }

    /// P(yes ≥ k) for every k, summed from the top so that small tails keep their digits.
    pub fn sf(&self) -> Vec<f64> {
        let mut out: Vec<f64> = match &self.counts {
            Some(counts) => {
                running(counts.iter().rev().copied()).map(|c| c as f64 / self.pass.trials.max(1) as f64).collect()
            }
            None => self
                .probability
                .iter()
                .rev()
                .scan(0.0, |acc, p| {
                    *acc += p;
                    Some(acc.min(1.0))
                })
                .collect(),
        };
        out.reverse();
        out
    }

    /// Mean, sd and quantiles of the counted yes votes.
    pub fn moments(&self) -> Moments {
        let mean: f64 = self.probability.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
        let var: f64 = self.probability.iter().enumerate().map(|(k, p)| (k as f64 - mean).powi(2) * p).sum();
        let cdf = self.cdf();
        let quantile = |q: f64| cdf.iter().position(|&c| c >= q - 1e-12).unwrap_or(cdf.len() - 1) as u32;
        Moments { mean, sd: var.max(0.0).sqrt(), p05: quantile(0.05), median: quantile(0.5), p95: quantile(0.95) }
    }
}

/// An estimate without its distribution: a fixed size, whatever the chamber. A
/// sweep keeps one per grid point and drops each point's distribution as soon as
/// it is summarised, so its memory does not grow with points × seats (a
/// 400-point sweep of a 100,000-seat chamber held 633 MB).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// P(pass), its interval and how it was obtained.
    pub pass: Pass,
    moments: Moments,
}

impl Summary {
    /// The summary of `e`.
    pub fn of(e: &Estimate) -> Summary {
        Summary { pass: e.pass, moments: e.moments() }
    }

    /// Mean, sd and quantiles of the counted yes votes (those of the estimate).
    pub fn moments(&self) -> Moments {
        self.moments
    }

    /// The columns a sweep point and a timeline entry report.
    pub fn row(&self) -> PassRow {
        let (m, pass) = (self.moments, self.pass);
        PassRow {
            p_pass: pass.p_pass,
            ci_low: pass.ci_low,
            ci_high: pass.ci_high,
            yes_mean: m.mean,
            yes_p05: m.p05,
            yes_median: m.median,
            yes_p95: m.p95,
        }
    }
}

/// P(pass), its 95% interval and the counted yes votes' mean and quantiles: the
/// columns that a sweep point and a timeline entry share, in this order, in CSV
/// ([`PassRow::fields`]) and JSON (its fields).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PassRow {
    /// P(pass).
    pub p_pass: f64,
    /// Lower end of the 95% interval (P(pass) for exact).
    pub ci_low: f64,
    /// Upper end of the 95% interval.
    pub ci_high: f64,
    /// Mean counted yes votes.
    pub yes_mean: f64,
    /// 5% quantile of the yes count.
    pub yes_p05: u32,
    /// Median.
    pub yes_median: u32,
    /// 95% quantile.
    pub yes_p95: u32,
}

impl PassRow {
    /// The column names, in order.
    pub const COLUMNS: [&'static str; 7] =
        ["p_pass", "ci_low", "ci_high", "yes_mean", "yes_p05", "yes_median", "yes_p95"];

    /// The values as CSV fields, in [`PassRow::COLUMNS`] order (numbers in Rust's
    /// shortest round-trip form).
    pub fn fields(&self) -> [String; 7] {
        let [a, b, c, d] = [self.p_pass, self.ci_low, self.ci_high, self.yes_mean].map(|x| x.to_string());
        let [e, f, g] = [self.yes_p05, self.yes_median, self.yes_p95].map(|x| x.to_string());
        [a, b, c, d, e, f, g]
    }
}

fn running(values: impl Iterator<Item = u64>) -> impl Iterator<Item = u64> {
    values.scan(0u64, |acc, v| {
        *acc += v;
        Some(*acc)
    })
}

/// Simulated votes per second (0 when nothing was timed).
pub fn votes_per_second(trials: u64, seconds: f64) -> f64 {
    if seconds > 0.0 { trials as f64 / seconds } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_matches_a_worked_example() {
        // 81 of 263: the textbook example gives (0.2553, 0.3662).
        let (lo, hi) = wilson(81, 263, Z95);
        assert!((lo - 0.2553).abs() < 1e-4 && (hi - 0.3662).abs() < 1e-4, "{lo} {hi}");
    }

    #[test]
    fn wilson_interval_stays_inside_zero_and_one() {
        let (lo, hi) = wilson(0, 100, Z95);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 0.05);
    }

    #[test]
    fn quantiles_are_the_smallest_counts_reaching_each_level() {
        let e = Estimate::monte_carlo(vec![5, 45, 45, 5], 50);
        let m = e.moments();
        assert_eq!((m.p05, m.median, m.p95), (0, 1, 2));
        assert!((m.mean - 1.5).abs() < 1e-12);
    }

    #[test]
    fn survival_and_cdf_overlap_by_the_point_mass() {
        let e = Estimate::exact(vec![0.25, 0.5, 0.25], 0.25);
        assert_eq!(e.cdf(), vec![0.25, 0.75, 1.0]);
        assert_eq!(e.sf(), vec![1.0, 0.75, 0.25]);
    }
}
