//! Who decides the vote: `whipcount explain` (docs/reference.md §6).
//!
//! A unit is a bloc (all its members, named ones included) or a named member. For
//! each unit, with everything else unchanged: P(pass) when every member of the unit
//! casts one outcome (an intervention that overrides the unit's own switch,
//! cohesion, swing and probabilities), the spread of those four (`p_decisive`), and
//! P(pass) when the unit's odds of `yes` are multiplied by e^∓L (the lean).
//! [`exact`] answers every column without sampling; [`monte_carlo`] estimates them
//! with common random numbers and standard errors, as the cross-check.

pub mod exact;
pub mod monte_carlo;

use crate::scenario::{Outcome, Scenario, Whip};
use crate::sweep::quote;

/// The lean L used when none is given.
pub const DEFAULT_LEAN: f64 = 1.0;

/// Whether a unit is a whole bloc or one named member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bloc, named members included.
    Bloc,
    /// A named member.
    Member,
}

impl Kind {
    /// `bloc` or `member`, as in the CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bloc => "bloc",
            Kind::Member => "member",
        }
    }
}

/// One unit: where it sits in the scenario and how it prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// `BLOC` or `BLOC/MEMBER`, names quoted where they hold `/` or `.`.
    pub label: String,
    /// Bloc or member.
    pub kind: Kind,
    /// The bloc's party.
    pub party: String,
    /// The bloc's seats, or 1 for a member.
    pub seats: u32,
    /// The stated whip.
    pub whip: Whip,
    /// Index of the bloc in the scenario.
    pub bloc: usize,
    /// Index of the member in its bloc.
    pub member: Option<usize>,
}

/// The units of `s` in scenario order, each bloc followed by its named members
/// when `members` is set.
pub fn units(s: &Scenario, members: bool) -> Vec<Unit> {
    let mut out = Vec::new();
    for (i, b) in s.blocs.iter().enumerate() {
        let unit = |label, kind, seats, member| Unit {
            label,
            kind,
            party: b.party.clone(),
            seats,
            whip: b.whip,
            bloc: i,
            member,
        };
        out.push(unit(quote(&b.name), Kind::Bloc, b.seats, None));
        if members {
            for (j, m) in b.members.iter().enumerate() {
                out.push(unit(format!("{}/{}", quote(&b.name), quote(&m.name)), Kind::Member, 1, Some(j)));
            }
        }
    }
    out
}

/// The probability columns of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    /// P(pass) if the unit votes yes, no, abstains, is absent (in [`Outcome::ALL`] order).
    pub if_outcome: [f64; 4],
    /// P(pass) with the unit leaned by e^−L and e^+L.
    pub lean: [f64; 2],
}

impl Figures {
    /// max − min of the four interventions: the probability that the unit's choice decides.
    pub fn decisive(&self) -> f64 {
        let max = self.if_outcome.iter().copied().fold(f64::MIN, f64::max);
        let min = self.if_outcome.iter().copied().fold(f64::MAX, f64::min);
        (max - min).max(0.0)
    }

    /// The outcomes giving the highest and lowest P(pass), in that order.
    pub fn extremes(&self) -> (Outcome, Outcome) {
        let by = |better: fn(f64, f64) -> bool| {
            (0..4).fold(0, |best, i| if better(self.if_outcome[i], self.if_outcome[best]) { i } else { best })
        };
        (Outcome::ALL[by(|a, b| a > b)], Outcome::ALL[by(|a, b| a < b)])
    }
}

/// Standard errors of a Monte Carlo explanation, column for column.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Errors {
    /// Of each `p_if_*`.
    pub if_outcome: [f64; 4],
    /// Of `p_decisive` (from the paired differences: common random numbers).
    pub decisive: f64,
    /// Of `p_lean_down` and `p_lean_up`.
    pub lean: [f64; 2],
}

/// The Monte Carlo run behind an explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampling {
    /// Simulated votes.
    pub trials: u64,
    /// The seed.
    pub seed: u64,
    /// Standard error of P(pass).
    pub se_pass: f64,
    /// Per unit, in the order of the units.
    pub errors: Vec<Errors>,
}

/// Every unit's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The scenario's name (with its `--set` edits).
    pub scenario: String,
    /// P(pass) of the scenario itself.
    pub p_pass: f64,
    /// The lean L.
    pub lean: f64,
    /// The units, in scenario order.
    pub units: Vec<Unit>,
    /// Their figures, in the same order.
    pub figures: Vec<Figures>,
    /// The Monte Carlo run, when the figures are estimates.
    pub sampling: Option<Sampling>,
}

impl Explanation {
    /// `"exact"` or `"monte-carlo"`.
    pub fn method(&self) -> &'static str {
        if self.sampling.is_some() { "monte-carlo" } else { "exact" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let text = "[chamber]\nseats = 3\n[[bloc]]\nname = \"CDU/CSU\"\nseats = 2\nwhip = \"yes\"\n  [[bloc.member]]\n  name = \"F. Merz\"\n[[bloc]]\nname = \"SPD\"\nseats = 1\nwhip = \"no\"\n";
        crate::scenario::parse(text, "t.toml", "t").unwrap()
    }

    #[test]
    fn units_follow_the_scenario_with_members_after_their_bloc_and_names_quoted() {
        let labels: Vec<String> = units(&scenario(), true).into_iter().map(|u| u.label).collect();
        assert_eq!(labels, ["\"CDU/CSU\"", "\"CDU/CSU\"/\"F. Merz\"", "SPD"]);
        assert_eq!(units(&scenario(), false).len(), 2);
    }

    #[test]
    fn decisiveness_is_the_spread_of_the_four_interventions() {
        let f = Figures { if_outcome: [0.9, 0.2, 0.4, 0.2], lean: [0.5, 0.6] };
        assert!((f.decisive() - 0.7).abs() < 1e-15);
        assert_eq!(f.extremes(), (Outcome::Yes, Outcome::No));
    }
}
