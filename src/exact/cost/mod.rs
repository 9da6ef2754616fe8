//! What an exact run will cost, estimated from the scenario before any work, and
//! the limit above which `exact` refuses it rather than run for minutes.
//!
//! **Method.** The work is counted in multiply–adds of a direct convolution (about
//! 0.13 ns each on 2 cores, measured; see [`UNIT_SECONDS`]), following the engine's
//! own structure (see the module doc of [`super`]):
//! - a bloc's law of yes is k + 1 entries wide under cohesion (0 < ρ < 1: a
//!   Dirichlet-multinomial spreads over the whole bloc) and at most 10·√k + 1
//!   otherwise (a binomial trimmed at 1e-20 per tail), plus one entry per named
//!   member; its sd is at most √k/2, times √(1 + (k − 1)ρ) under cohesion; the law
//!   of the statistic is (w_yes + w_other) times as wide, with at most one nonzero
//!   entry per pair (yes, other);
//! - convolving laws one after another costs each law's nonzero entries times the
//!   running law's width, which the trims keep within about 19 of its sds, plus
//!   [`BLOC`] per law for what building and adding any law costs;
//! - a cohesive bloc's law of the statistic takes (k + 1)(k + 2)/2 entries (see
//!   `statistic`), each [`ENTRY`] multiply–adds, a binomial one (10·√k + 1)²;
//!   each named member is convolved in over the bloc's width; a switching bloc is
//!   built twice;
//! - under a swing, blocs that tilt (see `tilt`) cost a few anchors; the others are
//!   rebuilt and convolved at each of [`YES_NODES`] nodes of the distribution's
//!   integral and, under a rule with a statistic, at each of [`PASS_EVALUATIONS`]
//!   evaluations of P(pass | z), whose sum is the cheaper of direct convolution and
//!   the transforms of `spectral` (narrow laws merged first, each transform
//!   [`TRANSFORM`] units per butterfly over a window of 19 sds).
//!
//! **What it bounds.** The estimate is not a bound on time: the node counts are the
//! usual ones (two rounds of the distribution's refinement, two of the adaptive
//! integral), and a swing integral that needs more rounds would take
//! proportionally longer; [`budget`] stops its refinement within about the limit's
//! work instead (the last change reported). Measured on 20 chambers of 1,000 to
//! 100,000 seats (25 November 2026, the README's "The exact engine at scale"), the
//! estimate is within 0.75–1.3 of the wall time on the benchmark chambers
//! (binomial and cohesive; majority, present, cast, 2/3 and 1/64 rules), about
//! 2 times high on 10,000 one-seat blocs under a present or cast rule, and up to
//! 5 times low on 2,000 named members under 1/64 and on 10,000 one-seat blocs
//! under the membership rule, and up to 10 times low where a wide swing (sd 5)
//! needs many more rounds (which the budget caps). `exact` refuses a
//! scenario whose estimate exceeds [`limit`]: about 6 s of work up to 10,000 seats
//! and 40 s up to 100,000, so that what it accepts runs within the documented 10 s
//! and one minute with room for the estimate's error.

mod refusal;
mod shape;

pub use refusal::{Command, Refusal, check, check_explain};

use super::Model;
use super::tilt::Tilt;
use crate::model;
use crate::scenario::{Bloc, Scenario};
use shape::{Costs, width_sum};
use std::collections::HashMap;

/// Nodes of the distribution's swing integral in the usual two rounds of a chamber
/// whose moved blocs are rebuilt at each node (33 + 32; see `quadrature`).
pub const YES_NODES: f64 = 65.0;
/// Evaluations of P(pass | z) in the adaptive integral's usual two rounds (8 + 12 panels of 15).
pub const PASS_EVALUATIONS: f64 = 300.0;
/// Multiply–adds per entry of a cohesive bloc's law of the statistic.
pub const ENTRY: f64 = 2.0;
/// Multiply–adds per butterfly unit of a transform (2·N·log₂N units per transform
/// of length N): the transforms run out of cache and one at a time.
pub const TRANSFORM: f64 = 5.0;
/// Multiply–adds that building and adding any bloc's law costs besides its entries
/// (allocations, log tables, trims).
pub const BLOC: f64 = 1e5;
/// Seconds per multiply–add on the reference machine (2 cores, measured).
pub const UNIT_SECONDS: f64 = 1.3e-10;

/// The work `exact` accepts for a chamber of `seats`: 4.5·10^10 multiply–adds
/// (about 6 s) up to 10,000 seats, 3·10^11 (about 40 s) above.
pub fn limit(seats: u32) -> f64 {
    if seats <= 10_000 { 4.5e10 } else { 3e11 }
}

/// The most nodes of the distribution's swing integral and evaluations of
/// P(pass | z) a run may use: the usual counts ([`YES_NODES`], [`PASS_EVALUATIONS`])
/// scaled by how far the estimate lies below the [`limit`], so that a swing integral
/// needing more rounds than usual stops within about the limit's work, its last
/// change reported (and `exact` warns when that exceeds 1e-9).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Nodes of the distribution's integral, all rounds together.
    pub yes_nodes: usize,
    /// Evaluations of P(pass | z), all rounds together.
    pub pass_evaluations: usize,
}

impl Budget {
    /// No limit (the reference methods and direct callers of the engine's parts).
    pub const UNLIMITED: Budget = Budget { yes_nodes: usize::MAX, pass_evaluations: usize::MAX };
}

/// The [`Budget`] of `scenario`: at least the usual counts.
pub fn budget(scenario: &Scenario) -> Budget {
    let scale = (limit(scenario.chamber.seats) / estimate(scenario).work.max(1.0)).clamp(1.0, 1e12);
    Budget { yes_nodes: (YES_NODES * scale) as usize, pass_evaluations: (PASS_EVALUATIONS * scale) as usize }
}

/// The estimated work of an exact run, and the bloc that costs the most.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Multiply–adds, all told.
    pub work: f64,
    /// Index of the bloc whose own work is largest, with that work.
    pub heaviest: Option<(usize, f64)>,
}

/// The estimated work of `exact` on `scenario` (module doc).
pub fn estimate(scenario: &Scenario) -> Estimate {
    let (model, costs, moved) = shape_of(scenario);
    let fixed: Vec<&Bloc> = scenario.blocs.iter().filter(|b| !model::moves(scenario, b)).collect();
    let mut ledger = Ledger::new(scenario);
    let mut work = costs.once(&fixed, &mut ledger.credit(1.0));
    if !moved.is_empty() {
        let tilt = Tilt::new(&Model { with_other: false, ..model }, &moved, true);
        let (group, per_node) = tilt.split();
        work += costs.yes_integral(group, per_node, tilt.anchor_count(), &mut ledger.credit(1.0));
        if costs.with_other {
            work += costs.pass_integral(&moved, &mut ledger.credit(1.0));
        }
        work += width_sum(&fixed, &Costs::yes_width) * width_sum(&moved, &Costs::yes_width);
    }
    ledger.estimate(work)
}

/// The estimated work of `explain` by the exact method (see `crate::explain::exact`):
/// at each of [`YES_NODES`] nodes (one without a swing) every moved bloc's three laws
/// (as stated, leaned down, leaned up) rebuilt, and three passes of convolutions
/// (prefixes, suffixes, the windows), with the named members' recursions when
/// `members`; its nodes run one after another, so the work counts twice against
/// the 2-core limit.
pub fn explain_estimate(scenario: &Scenario, members: bool) -> Estimate {
    let (_, costs, moved) = shape_of(scenario);
    let every: Vec<&Bloc> = scenario.blocs.iter().collect();
    let (nodes, rebuilt) = if moved.is_empty() { (1.0, &every) } else { (YES_NODES, &moved) };
    let mut ledger = Ledger::new(scenario);
    let node = costs.explain_node(&every, rebuilt, members, &mut ledger.credit(2.0 * nodes));
    ledger.estimate(2.0 * nodes * node)
}

/// The engine's model of `scenario`, its costs and the blocs the swing moves.
fn shape_of(scenario: &Scenario) -> (Model<'_>, Costs, Vec<&Bloc>) {
    let model = Model::new(scenario);
    let costs = Costs { weights: model.weights, with_other: model.with_other };
    let moved = scenario.blocs.iter().filter(|b| model::moves(scenario, b)).collect();
    (model, costs, moved)
}

/// Each bloc's own work, to name the heaviest.
struct Ledger {
    /// Where each bloc of the scenario sits in it, by address.
    index: HashMap<*const Bloc, usize>,
    own: Vec<f64>,
}

impl Ledger {
    fn new(scenario: &Scenario) -> Self {
        let index = scenario.blocs.iter().enumerate().map(|(i, b)| (b as *const Bloc, i)).collect();
        Ledger { index, own: vec![0.0; scenario.blocs.len()] }
    }

    /// Credits work `w` on bloc `b` (a bloc of the scenario) `times` over.
    fn credit(&mut self, times: f64) -> impl FnMut(&Bloc, f64) + '_ {
        move |b, w| self.own[self.index[&(b as *const Bloc)]] += times * w
    }

    /// The estimate of `work` in all, with the heaviest bloc.
    fn estimate(&self, work: f64) -> Estimate {
        let heaviest =
            self.own.iter().copied().enumerate().filter(|&(_, w)| w > 0.0).max_by(|a, b| a.1.total_cmp(&b.1));
        Estimate { work, heaviest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Source;

    fn source(seats: u32, cohesion: f64, rule: &str, sd: f64) -> Source {
        let text = format!(
            "[chamber]\nseats = {seats}\n\n[rule]\n{rule}\n\n[swing]\nsd = {sd}\n\n\
             [[bloc]]\nname = \"Big\"\nseats = {seats}\nwhip = \"yes\"\ndefect = 0.3\ncohesion = {cohesion}\n"
        );
        Source { origin: "big.toml".into(), stem: "big".into(), text }
    }

    fn scenario(seats: u32, cohesion: f64, rule: &str, sd: f64) -> Scenario {
        source(seats, cohesion, rule, sd).parse().expect("a valid scenario")
    }

    const CAST: &str = "majority-of = \"cast\"";

    #[test]
    fn every_shipped_scenario_is_accepted() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/configs");
        let files = ["", "/history"].iter().flat_map(|sub| std::fs::read_dir(format!("{dir}{sub}")).unwrap());
        let mut checked = 0;
        for path in files.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "toml")) {
            let s = Source::resolve(path.to_str().unwrap()).unwrap().parse().unwrap();
            assert!(check(&s).is_ok(), "{}: {:?}", path.display(), estimate(&s));
            assert!(check_explain(&s, true).is_ok(), "{}: {:?}", path.display(), explain_estimate(&s, true));
            checked += 1;
        }
        for name in crate::scenario::builtin_names() {
            assert!(check(&Source::resolve(name).unwrap().parse().unwrap()).is_ok(), "{name}");
        }
        assert!(checked > 10, "only {checked} files");
    }

    #[test]
    fn a_cohesive_bloc_under_a_votes_cast_rule_costs_the_square_of_its_seats() {
        let work = |seats| estimate(&scenario(seats, 0.3, CAST, 0.3)).work;
        let ratio = work(8_000) / work(4_000);
        assert!((3.8..4.2).contains(&ratio), "ratio {ratio}");
    }

    #[test]
    fn a_huge_cohesive_bloc_under_a_swing_is_refused_naming_the_bloc_and_its_cohesion() {
        let refusal = check(&scenario(60_000, 0.3, CAST, 0.3)).unwrap_err();
        assert_eq!(refusal.bloc, Some((0, "Big".to_string())));
        assert_eq!(refusal.key, "cohesion");
        let message = refusal.locate(&source(60_000, 0.3, CAST, 0.3)).to_string();
        for needle in ["big.toml:15:", "bloc \"Big\"", "cohesion", "simulate", "limit of 3.0e11"] {
            assert!(message.contains(needle), "`{needle}` not in {message}");
        }
    }

    #[test]
    fn the_same_bloc_without_a_swing_or_cohesion_is_accepted() {
        assert!(check(&scenario(60_000, 0.3, CAST, 0.0)).is_ok());
        assert!(check(&scenario(60_000, 0.0, CAST, 0.3)).is_ok());
        assert!(check(&scenario(60_000, 1.0, CAST, 0.3)).is_ok());
    }

    #[test]
    fn the_limit_is_stricter_up_to_ten_thousand_seats() {
        // Two cohesive blocs of 2,500 under 1/64 of the votes cast: between the two limits.
        let at = |seats: u32| {
            let mut text = format!(
                "[chamber]\nseats = {seats}\nvacancies = {}\n\n[rule]\nmajority-of = \"cast\"\nfraction = \"1/64\"\n\n\
                 [swing]\nsd = 0.3\n",
                seats - 5_000
            );
            for name in ["A", "B"] {
                text += &format!(
                    "\n[[bloc]]\nname = \"{name}\"\nseats = 2500\nwhip = \"yes\"\ndefect = 0.3\ncohesion = 0.3\n"
                );
            }
            Source { origin: "two.toml".into(), stem: "two".into(), text }.parse().unwrap()
        };
        let (small, large) = (at(10_000), at(10_001));
        let work = estimate(&small).work;
        assert_eq!(work, estimate(&large).work);
        assert!(limit(10_000) < work && work < limit(10_001), "{work:e}");
        assert!(check(&small).is_err() && check(&large).is_ok());
    }
}
