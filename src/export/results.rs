//! The result types that the formats write and that have no module of their own:
//! a distribution of counted yes votes (from `simulate` or `exact`), a sweep, a
//! timeline and a backtest. The bench's is [`crate::bench::Report`], explain's
//! [`crate::explain::Explanation`].

use crate::scenario::Scenario;
use crate::stats::{Estimate, Method, wilson_half_width};
use crate::sweep::{Axis, Param, Plan};

/// Facts about a run that are not part of the distribution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's title.
    pub title: String,
    /// The rule in words, with its threshold.
    pub rule: String,
    /// The seed (Monte Carlo only).
    pub seed: Option<u64>,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock seconds.
    pub elapsed_s: f64,
    /// The fixed count of yes votes needed, when the rule has one.
    pub needed: Option<u32>,
    /// Whether the run was interrupted and reports only what was finished.
    pub partial: bool,
    /// The target 95% half-width on P(pass), for a run asked to reach one.
    pub precision: Option<f64>,
}

impl RunInfo {
    /// The facts that come from the scenario; the run's own are left at their defaults.
    pub fn new(s: &Scenario) -> RunInfo {
        RunInfo {
            scenario: s.name.clone(),
            title: s.title.clone(),
            rule: s.rule.describe(s.chamber.seats),
            needed: s.rule.needed(s.chamber.seats),
            threads: 1,
            ..RunInfo::default()
        }
    }
}

/// The distribution of counted yes votes from one run, with how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// The distribution and P(pass).
    pub estimate: Estimate,
    /// The run.
    pub info: RunInfo,
}

impl Distribution {
    /// Whether the precision asked for was reached (`None` when none was asked).
    pub fn precision_reached(&self) -> Option<bool> {
        let e = &self.estimate;
        self.info
            .precision
            .map(|h| e.pass.method == Method::Exact || wilson_half_width(e.pass.passes, e.pass.trials) <= h)
    }

    /// The 95% half-width on P(pass).
    pub fn half_width(&self) -> f64 {
        (self.estimate.pass.ci_high - self.estimate.pass.ci_low) / 2.0
    }
}

/// A sweep: the grid and the results of its first `results.len()` points.
#[derive(Debug, Clone, Copy)]
pub struct Sweep<'a> {
    /// The grid.
    pub plan: &'a Plan,
    /// One estimate per finished point, in grid order.
    pub results: &'a [crate::sweep::Point],
}

impl Sweep<'_> {
    /// Whether the sweep stopped before its last point.
    pub fn partial(&self) -> bool {
        self.results.len() < self.plan.len()
    }

    /// How the points were computed (exact for an empty sweep).
    pub fn method(&self) -> Method {
        self.results.first().map_or(Method::Exact, |e| e.pass.method)
    }

    /// The finished points: their values and estimates.
    pub fn points(&self) -> impl Iterator<Item = (&[crate::sweep::Value], &crate::sweep::Point)> {
        self.plan.points.iter().zip(self.results).map(|((v, _), e)| (v.as_slice(), e))
    }
}

/// Whether an axis takes `true`/`false` rather than numbers.
pub(super) fn boolean(axis: &Axis) -> bool {
    matches!(axis.param, Param::RuleCountDefectors)
}

/// A timeline: its entries in date order and how they were forecast.
#[derive(Debug, Clone, Copy)]
pub struct Timeline<'a> {
    /// `exact` or `monte-carlo`.
    pub method: &'a str,
    /// One entry per scenario.
    pub entries: &'a [crate::timeline::Entry],
}

/// A backtest: its scores, their summary and how the forecasts were made.
#[derive(Debug, Clone, Copy)]
pub struct Backtest<'a> {
    /// `exact` or `monte-carlo`.
    pub method: &'a str,
    /// Trials and seed of a Monte Carlo backtest.
    pub run: Option<(u64, u64)>,
    /// One score per scenario.
    pub scores: &'a [crate::backtest::Score],
    /// Their summary.
    pub summary: &'a crate::backtest::Summary,
}
