//! The scores of docs/reference.md §8 as pure functions of a forecast distribution of
//! counted yes votes (`dist[k]` = P(Y = k)) and the recorded result.
//!
//! - Brier (p − o)² and the log loss −ln p(o), with p clipped to [1e−15, 1 − 1e−15], score
//!   P(pass) against the outcome o ∈ {0, 1}.
//! - The mid-PIT P(Y < y) + ½ P(Y = y) places the real tally y in the forecast: for a
//!   calibrated forecaster it is uniform on [0, 1] even though Y is discrete (the plain PIT
//!   P(Y ≤ y) is not: it piles up at 1 whenever the tally has a large point mass).
//! - `p_tally` = P(Y = y); `in_50`/`in_90` whether y lies in the central 50% and 90%
//!   intervals [q(0.25), q(0.75)] and [q(0.05), q(0.95)], q(a) the smallest count whose CDF
//!   reaches a (within 1e−12, as [`crate::stats::Estimate::moments`]).
//!
//! Monte Carlo standard errors (delta method, the n simulated votes independent):
//! se(brier) = 2|p − o|·se(p); se(log loss) = se(p)/p(o); the mid-PIT is the mean of
//! W = 1{Y < y} + ½·1{Y = y}, so se = √((P(Y < y) + ¼P(Y = y) − pit²)/n); se(p_tally) is
//! binomial.

/// The clip applied to probabilities inside the log loss.
pub const CLIP: f64 = 1e-15;

/// (p − o)².
pub fn brier(p_pass: f64, passed: bool) -> f64 {
    (p_pass - f64::from(u8::from(passed))).powi(2)
}

/// The probability the forecast gave to what happened, clipped to [1e−15, 1 − 1e−15].
pub fn p_outcome(p_pass: f64, passed: bool) -> f64 {
    let p = if passed { p_pass } else { 1.0 - p_pass };
    p.clamp(CLIP, 1.0 - CLIP)
}

/// −ln of the clipped probability of what happened.
pub fn log_loss(p_pass: f64, passed: bool) -> f64 {
    -p_outcome(p_pass, passed).ln()
}

/// P(Y < y).
pub fn below(dist: &[f64], yes: u32) -> f64 {
    dist.iter().take(yes as usize).sum::<f64>().min(1.0)
}

/// P(Y = y); 0 beyond the distribution.
pub fn p_tally(dist: &[f64], yes: u32) -> f64 {
    dist.get(yes as usize).copied().unwrap_or(0.0)
}

/// The mid-PIT P(Y < y) + ½ P(Y = y).
pub fn mid_pit(dist: &[f64], yes: u32) -> f64 {
    (below(dist, yes) + 0.5 * p_tally(dist, yes)).min(1.0)
}

/// The smallest count whose CDF reaches `a`.
pub fn quantile(dist: &[f64], a: f64) -> u32 {
    let mut cdf = 0.0;
    for (k, p) in dist.iter().enumerate() {
        cdf += p;
        if cdf >= a - 1e-12 {
            return k as u32;
        }
    }
    dist.len().saturating_sub(1) as u32
}

/// Whether `yes` lies in the central interval [q((1 − level)/2), q((1 + level)/2)].
pub fn within(dist: &[f64], yes: u32, level: f64) -> bool {
    (quantile(dist, (1.0 - level) / 2.0)..=quantile(dist, (1.0 + level) / 2.0)).contains(&yes)
}

/// Standard errors of the Monte Carlo scores from `trials` simulated votes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct StdErrors {
    /// Of P(pass).
    pub se_pass: f64,
    /// Of the Brier score.
    pub se_brier: f64,
    /// Of the log loss.
    pub se_log_loss: f64,
    /// Of the mid-PIT.
    pub se_pit: f64,
    /// Of P(Y = y).
    pub se_tally: f64,
}

/// The delta-method standard errors of the module doc.
pub fn std_errors(dist: &[f64], yes: u32, p_pass: f64, passed: bool, trials: u64) -> StdErrors {
    let n = trials.max(1) as f64;
    let binomial = |p: f64| (p * (1.0 - p) / n).max(0.0).sqrt();
    let se_pass = binomial(p_pass);
    let (lt, eq) = (below(dist, yes), p_tally(dist, yes));
    let pit = lt + 0.5 * eq;
    StdErrors {
        se_pass,
        se_brier: 2.0 * (p_pass - f64::from(u8::from(passed))).abs() * se_pass,
        se_log_loss: se_pass / p_outcome(p_pass, passed),
        se_pit: ((lt + 0.25 * eq - pit * pit).max(0.0) / n).sqrt(),
        se_tally: binomial(eq),
    }
}

/// Counts of `pits` in 10 equal bins of [0, 1]; 1 falls in the last bin.
pub fn pit_histogram(pits: impl IntoIterator<Item = f64>) -> [u32; 10] {
    let mut bins = [0; 10];
    for p in pits {
        bins[((p * 10.0).floor().max(0.0) as usize).min(9)] += 1;
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn brier_is_the_squared_distance_to_the_outcome() {
        assert!(close(brier(0.8, true), 0.04));
        assert!(close(brier(0.8, false), 0.64));
        assert_eq!(brier(1.0, true), 0.0);
    }

    #[test]
    fn log_loss_scores_the_probability_of_what_happened() {
        assert!(close(log_loss(0.8, true), -(0.8f64).ln()));
        assert!(close(log_loss(0.8, false), -(0.2f64).ln()));
        assert!(close(log_loss(0.5, false), std::f64::consts::LN_2));
    }

    #[test]
    fn a_certain_forecast_that_was_wrong_costs_the_clipped_log_loss() {
        assert!(close(log_loss(0.0, true), -(1e-15f64).ln()));
        assert!((log_loss(1.0, false) - 34.538776394910684).abs() < 1e-6);
        assert!(log_loss(1.0, true) < 1e-14);
    }

    /// Y uniform on {0, 1, 2, 3}: P(Y < 2) = 1/2, P(Y = 2) = 1/4, mid-PIT 5/8.
    #[test]
    fn mid_pit_counts_half_the_point_mass_of_the_tally() {
        let d = [0.25; 4];
        assert!(close(mid_pit(&d, 2), 0.625));
        assert!(close(mid_pit(&d, 0), 0.125));
        assert!(close(mid_pit(&d, 3), 0.875));
        assert!(close(p_tally(&d, 2), 0.25));
    }

    /// A point mass at the real tally: the plain PIT would say 1, the mid-PIT says ½.
    #[test]
    fn mid_pit_of_a_tie_with_a_point_mass_is_one_half() {
        let d = [0.0, 0.0, 1.0, 0.0];
        assert!(close(mid_pit(&d, 2), 0.5));
        assert!(close(mid_pit(&d, 1), 0.0));
        assert!(close(mid_pit(&d, 3), 1.0));
    }

    #[test]
    fn a_tally_the_forecast_calls_impossible_has_zero_probability() {
        let d = [0.5, 0.5];
        assert_eq!(p_tally(&d, 7), 0.0);
        assert!(close(mid_pit(&d, 7), 1.0));
    }

    /// CDF of [0.1, 0.2, 0.4, 0.2, 0.1] is 0.1, 0.3, 0.7, 0.9, 1.0.
    #[test]
    fn quantiles_are_the_smallest_counts_whose_cdf_reaches_the_level() {
        let d = [0.1, 0.2, 0.4, 0.2, 0.1];
        assert_eq!([0.05, 0.25, 0.3, 0.75, 0.95].map(|a| quantile(&d, a)), [0, 1, 1, 3, 4]);
        assert!(within(&d, 1, 0.5) && within(&d, 3, 0.5) && !within(&d, 4, 0.5) && !within(&d, 0, 0.5));
        assert!(within(&d, 0, 0.9) && within(&d, 4, 0.9));
    }

    #[test]
    fn pit_histogram_has_ten_equal_bins_closed_at_one() {
        let h = pit_histogram([0.0, 0.05, 0.1, 0.55, 0.999, 1.0]);
        assert_eq!(h, [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    }

    /// Y uniform on {0, 1, 2, 3}, y = 2, n = 100: W is 1 w.p. ½, ½ w.p. ¼, 0 w.p. ¼;
    /// E W² = ½ + 1/16, Var W = 9/16 − 25/64 = 11/64.
    #[test]
    fn standard_errors_follow_the_delta_method() {
        let se = std_errors(&[0.25; 4], 2, 0.8, false, 100);
        assert!(close(se.se_pass, 0.04));
        assert!(close(se.se_brier, 2.0 * 0.8 * 0.04));
        assert!(close(se.se_log_loss, 0.04 / 0.2));
        assert!(close(se.se_pit, (11.0f64 / 64.0 / 100.0).sqrt()));
        assert!(close(se.se_tally, (0.25f64 * 0.75 / 100.0).sqrt()));
    }
}
