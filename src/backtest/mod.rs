//! Backtests: forecasts scored against recorded results (docs/reference.md §8).
//!
//! Each scenario with a `[result]` is forecast (exact engine, or Monte Carlo with
//! standard errors) and scored with the functions of [`mod@score`]; the summary averages the
//! scores, counts the tallies inside the central 50% and 90% intervals, and bins the
//! mid-PITs in tenths. Its outputs (CSV, JSON, a table) are written by [`crate::export::backtest`].
//!
//! A score over a few dozen votes is a coarse check, not a proof of calibration: the
//! Brier score's standard deviation over n forecasts is about 0.1–0.2/√n, and ten PIT
//! bins hold one or two votes each.

pub mod score;

use crate::error::{Error, Result};
use crate::scenario::{Scenario, VoteResult};
use crate::stats::{Estimate, Method};
use score::StdErrors;

/// One forecast scored against its result: a row of the backtest CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The scenario's name.
    pub scenario: String,
    /// `[scenario] date`, if any.
    pub date: Option<String>,
    /// Forecast P(pass).
    pub p_pass: f64,
    /// Whether the motion really passed.
    pub passed: bool,
    /// (p_pass − passed)².
    pub brier: f64,
    /// −ln P(what happened), clipped.
    pub log_loss: f64,
    /// The real counted yes votes.
    pub yes: u32,
    /// Mid-PIT of the real tally.
    pub pit: f64,
    /// P(Y = yes).
    pub p_tally: f64,
    /// Whether yes lies in [q(0.25), q(0.75)].
    pub in_50: bool,
    /// Whether yes lies in [q(0.05), q(0.95)].
    pub in_90: bool,
    /// Standard errors, for a Monte Carlo forecast.
    pub se: Option<StdErrors>,
}

/// Scores the forecast `e` of scenario `s` against the recorded `result`.
pub fn score(s: &Scenario, result: &VoteResult, e: &Estimate) -> Score {
    let (dist, yes, passed) = (&e.probability, result.yes, result.passed);
    Score {
        scenario: s.name.clone(),
        date: s.date.clone(),
        p_pass: e.pass.p_pass,
        passed,
        brier: score::brier(e.pass.p_pass, passed),
        log_loss: score::log_loss(e.pass.p_pass, passed),
        yes,
        pit: score::mid_pit(dist, yes),
        p_tally: score::p_tally(dist, yes),
        in_50: score::within(dist, yes, 0.5),
        in_90: score::within(dist, yes, 0.9),
        se: (e.pass.method == Method::MonteCarlo)
            .then(|| score::std_errors(dist, yes, e.pass.p_pass, passed, e.pass.trials)),
    }
}

/// The summary of a backtest.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Scenarios scored.
    pub count: usize,
    /// Mean Brier score.
    pub brier: f64,
    /// Mean log loss.
    pub log_loss: f64,
    /// Share of tallies inside the central 50% interval.
    pub coverage_50: f64,
    /// Share of tallies inside the central 90% interval.
    pub coverage_90: f64,
    /// Mid-PITs in 10 equal bins of [0, 1].
    pub pit_histogram: [u32; 10],
    /// Standard error of the mean Brier score (Monte Carlo only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub se_brier: Option<f64>,
    /// Standard error of the mean log loss (Monte Carlo only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub se_log_loss: Option<f64>,
}

/// Means, coverage and the PIT histogram of `scores` (the forecasts' errors independent).
pub fn summarise(scores: &[Score]) -> Summary {
    let n = scores.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Score) -> f64| scores.iter().map(f).sum::<f64>() / n;
    let se_of_mean = |f: &dyn Fn(&StdErrors) -> f64| {
        let ses: Option<Vec<f64>> = scores.iter().map(|s| s.se.as_ref().map(f)).collect();
        ses.filter(|v| !v.is_empty()).map(|v| v.iter().map(|x| x * x).sum::<f64>().sqrt() / n)
    };
    Summary {
        count: scores.len(),
        brier: mean(&|s| s.brier),
        log_loss: mean(&|s| s.log_loss),
        coverage_50: mean(&|s| f64::from(u8::from(s.in_50))),
        coverage_90: mean(&|s| f64::from(u8::from(s.in_90))),
        pit_histogram: score::pit_histogram(scores.iter().map(|s| s.pit)),
        se_brier: se_of_mean(&|e| e.se_brier),
        se_log_loss: se_of_mean(&|e| e.se_log_loss),
    }
}

/// The scenarios that record a result, paired with it; an error naming them all when none does.
pub fn with_results(scenarios: Vec<Scenario>) -> Result<(Vec<Scenario>, Vec<String>)> {
    let (kept, skipped): (Vec<Scenario>, Vec<Scenario>) = scenarios.into_iter().partition(|s| s.result.is_some());
    let skipped: Vec<String> = skipped.into_iter().map(|s| s.name).collect();
    if kept.is_empty() {
        let which =
            if skipped.is_empty() { "no scenario".to_string() } else { format!("none of {}", skipped.join(", ")) };
        return Err(Error::Usage(format!(
            "nothing to backtest: {which} records a [result]; add a [result] table with at least `yes` \
             (docs/reference.md §8), or run `whipcount backtest` without arguments for every built-in scenario \
             that has one"
        )));
    }
    Ok((kept, skipped))
}

/// Scores every scenario against its result; `estimates` in the same order.
pub fn score_all(scenarios: &[Scenario], estimates: &[Estimate]) -> Vec<Score> {
    scenarios.iter().zip(estimates).filter_map(|(s, e)| s.result.as_ref().map(|r| score(s, r, e))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(text: &str) -> Scenario {
        crate::scenario::parse(text, "t.toml", "t").unwrap()
    }

    /// Two independent members, each yes with ½: Y ~ Binomial(2, ½) = [¼, ½, ¼]; needed 2.
    const TWO: &str = "[chamber]\nseats = 2\n[rule]\nneeded = 2\n\
        [[bloc]]\nname = \"A\"\nseats = 2\nwhip = \"yes\"\ndefect = 0.5\n";

    #[test]
    fn scores_a_hand_computed_forecast() {
        let s = scenario(&format!("{TWO}[result]\nyes = 1\n"));
        let e = Estimate::exact(vec![0.25, 0.5, 0.25], 0.25);
        let sc = score(&s, s.result.as_ref().unwrap(), &e);
        assert!(!sc.passed, "1 of the 2 needed");
        assert!((sc.brier - 0.0625).abs() < 1e-12);
        assert!((sc.log_loss - (4.0f64 / 3.0).ln()).abs() < 1e-12);
        assert!((sc.pit - 0.5).abs() < 1e-12 && (sc.p_tally - 0.5).abs() < 1e-12);
        assert!(sc.in_50 && sc.in_90 && sc.se.is_none());
    }

    #[test]
    fn summary_averages_and_bins_the_scores() {
        let s = scenario(&format!("{TWO}[result]\nyes = 2\n"));
        let e = Estimate::exact(vec![0.25, 0.5, 0.25], 0.25);
        let hit = score(&s, s.result.as_ref().unwrap(), &e);
        let miss = Score { in_50: false, in_90: false, pit: 0.05, brier: 0.5, log_loss: 1.0, ..hit.clone() };
        let sum = summarise(&[hit.clone(), miss]);
        assert_eq!(sum.count, 2);
        assert!((sum.brier - (0.5625 + 0.5) / 2.0).abs() < 1e-12);
        assert_eq!((sum.coverage_50, sum.coverage_90), (0.0, 0.5), "y = 2 is above q(0.75) = 1");
        assert_eq!(sum.pit_histogram, [1, 0, 0, 0, 0, 0, 0, 0, 1, 0], "pit of y = 2 is 7/8");
        assert_eq!(sum.se_brier, None);
    }

    #[test]
    fn a_monte_carlo_forecast_carries_standard_errors_into_the_summary() {
        let s = scenario(&format!("{TWO}[result]\nyes = 2\n"));
        let e = Estimate::monte_carlo(vec![25, 50, 25], 25);
        let sc = score(&s, s.result.as_ref().unwrap(), &e);
        let se = sc.se.unwrap();
        assert!((se.se_pass - (0.25f64 * 0.75 / 100.0).sqrt()).abs() < 1e-12);
        let sum = summarise(&[sc.clone(), sc]);
        assert!((sum.se_brier.unwrap() - se.se_brier * 2f64.sqrt() / 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_backtest_without_any_result_is_an_error_naming_the_scenarios() {
        let e = with_results(vec![scenario(TWO)]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("none of t records"), "{e}");
        let (kept, skipped) =
            with_results(vec![scenario(TWO), scenario(&format!("{TWO}[result]\nyes = 0\n"))]).unwrap();
        assert_eq!((kept.len(), skipped), (1, vec!["t".to_string()]));
    }
}
