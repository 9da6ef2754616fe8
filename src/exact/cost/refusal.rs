//! Why `exact` (or `explain` by the exact method) refuses a scenario, and where
//! the message points: the heaviest bloc's key in the scenario file, the estimate,
//! the limit and what would do.

use super::{Estimate, UNIT_SECONDS, estimate, explain_estimate, limit};
use crate::error::ScenarioError;
use crate::scenario::locate::{Place, location};
use crate::scenario::{Bloc, Scenario, Source};
use std::fmt;

/// Why `exact` refuses a scenario: its estimated work exceeds [`limit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The estimate.
    pub estimate: Estimate,
    /// The limit it exceeds.
    pub limit: f64,
    /// The heaviest bloc's index and name, when there is one.
    pub bloc: Option<(usize, String)>,
    /// The key to change: of that bloc, or of `[rule]` when no bloc stands out.
    pub key: &'static str,
    /// What would make the run affordable.
    pub advice: String,
    /// Which command refuses: `exact` or `explain`.
    pub command: Command,
}

/// A command that runs the exact engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `exact`, and the exact method of `sweep`, `timeline` and `backtest`.
    Exact,
    /// `explain` by its exact method.
    Explain,
}

impl Refusal {
    /// The refusal as a scenario error, placed at its key in `source` (or the
    /// table's header where the key is not written there).
    pub fn locate(&self, source: &Source) -> ScenarioError {
        let place = self.bloc.as_ref().map_or(Place::Table("rule".into()), |(i, _)| Place::Bloc(*i));
        let location = location(&source.text, &source.origin, &place, Some(self.key));
        let context = match &self.bloc {
            Some((_, name)) => format!("bloc \"{name}\""),
            None => "[rule]".into(),
        };
        ScenarioError::new(location, self.to_string()).with_context(context).with_key(self.key)
    }
}

/// Refuses `scenario` when its estimated work exceeds [`limit`] (module doc).
pub fn check(scenario: &Scenario) -> Result<(), Box<Refusal>> {
    refuse(scenario, estimate(scenario), Command::Exact)
}

/// Refuses `explain` by the exact method (with every named member when
/// `members`) when its estimated work ([`explain_estimate`]) exceeds [`limit`].
pub fn check_explain(scenario: &Scenario, members: bool) -> Result<(), Box<Refusal>> {
    refuse(scenario, explain_estimate(scenario, members), Command::Explain)
}

fn refuse(scenario: &Scenario, estimate: Estimate, command: Command) -> Result<(), Box<Refusal>> {
    let limit = limit(scenario.chamber.seats);
    if estimate.work <= limit {
        return Ok(());
    }
    let heavy = estimate.heaviest.map(|(i, _)| (i, scenario.blocs[i].name.clone()));
    let (key, advice) = advice(scenario, heavy.as_ref().map(|(i, _)| &scenario.blocs[*i]), command);
    Err(Box::new(Refusal { estimate, limit, bloc: heavy, key, advice, command }))
}

/// Which key to change, and how, for the heaviest bloc.
fn advice(scenario: &Scenario, heavy: Option<&Bloc>, command: Command) -> (&'static str, String) {
    let cohesive = heavy.is_some_and(super::shape::cohesive);
    let wide = scenario.rule.test(scenario.chamber.seats).needs_other();
    let key = match (heavy, cohesive) {
        (Some(_), true) => "cohesion",
        (Some(_), false) => "seats",
        (None, _) if wide => "fraction",
        (None, _) => "majority-of",
    };
    let mut ways = vec![match command {
        Command::Exact => "use `whipcount simulate`, which has no such limit".to_string(),
        Command::Explain => "use `whipcount explain --trials 100000` (Monte Carlo, with standard errors)".into(),
    }];
    if cohesive {
        ways.push("set that bloc's cohesion to 0 or 1, or split it into smaller blocs".into());
    }
    if wide {
        ways.push("use a fraction with a smaller denominator, or `majority-of = \"membership\"`".into());
    }
    if scenario.has_swing() {
        ways.push("set `swing = false` on that bloc, or `[swing] sd = 0`".into());
    }
    (key, ways.join("; or "))
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = |work: f64| work * UNIT_SECONDS;
        write!(
            f,
            "{} would need about {:.1e} multiply-adds here (about {:.0} s on 2 cores), \
             more than its limit of {:.1e} for this chamber (about {:.0} s)",
            match self.command {
                Command::Exact => "the exact engine",
                Command::Explain => "`explain` by the exact method",
            },
            self.estimate.work,
            seconds(self.estimate.work),
            self.limit,
            seconds(self.limit)
        )?;
        if let (Some((_, name)), Some((_, own))) = (&self.bloc, self.estimate.heaviest) {
            write!(f, "; bloc \"{name}\" alone needs {:.1e}", own)?;
        }
        write!(f, "; {}", self.advice)
    }
}
