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
//! usual ones (three rounds of the distribution's refinement, two of the adaptive
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

use super::Model;
use super::tilt::Tilt;
use crate::error::ScenarioError;
use crate::model::{self, concentration};
use crate::scenario::locate::{Place, location};
use crate::scenario::{Bloc, Scenario, Source};
use std::fmt;

/// Nodes of the distribution's swing integral in its usual three rounds (32 + 64 + 128).
pub const YES_NODES: f64 = 224.0;
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
    let estimate = estimate(scenario);
    let limit = limit(scenario.chamber.seats);
    if estimate.work <= limit {
        return Ok(());
    }
    let heavy = estimate.heaviest.map(|(i, _)| (i, scenario.blocs[i].name.clone()));
    let (key, advice) = advice(scenario, heavy.as_ref().map(|(i, _)| &scenario.blocs[*i]));
    Err(Box::new(Refusal { estimate, limit, bloc: heavy, key, advice }))
}

/// Which key to change, and how, for the heaviest bloc.
fn advice(scenario: &Scenario, heavy: Option<&Bloc>) -> (&'static str, String) {
    let cohesive = heavy.is_some_and(cohesive);
    let wide = scenario.rule.test(scenario.chamber.seats).needs_other();
    let key = match (heavy, cohesive) {
        (Some(_), true) => "cohesion",
        (Some(_), false) => "seats",
        (None, _) if wide => "fraction",
        (None, _) => "majority-of",
    };
    let mut ways = vec!["use `whipcount simulate`, which has no such limit".to_string()];
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

/// The estimated work of `exact` on `scenario` (module doc).
pub fn estimate(scenario: &Scenario) -> Estimate {
    let model = Model::new(scenario);
    let costs = Costs { weights: model.weights, with_other: model.with_other };
    let moved: Vec<&Bloc> = scenario.blocs.iter().filter(|b| model::moves(scenario, b)).collect();
    let fixed: Vec<&Bloc> = scenario.blocs.iter().filter(|b| !model::moves(scenario, b)).collect();
    let mut own = vec![0.0; scenario.blocs.len()];
    let index = |b: &Bloc| scenario.blocs.iter().position(|c| std::ptr::eq(c, b)).expect("a bloc of the scenario");
    let mut work = costs.once(&fixed, &mut |b, w| own[index(b)] += w);
    if moved.is_empty() {
        return Estimate { work, heaviest: heaviest(&own) };
    }
    let tilt = Tilt::new(&Model { with_other: false, ..Model::new(scenario) }, &moved, true);
    let (group, per_node) = tilt.split();
    work += costs.yes_integral(group, per_node, tilt.anchor_count(), &mut |b, w| own[index(b)] += w);
    if costs.with_other {
        work += costs.pass_integral(&moved, &mut |b, w| own[index(b)] += w);
    }
    let fixed_width = width_sum(&fixed, &Costs::yes_width);
    work += fixed_width * width_sum(&moved, &Costs::yes_width);
    Estimate { work, heaviest: heaviest(&own) }
}

fn heaviest(own: &[f64]) -> Option<(usize, f64)> {
    own.iter().copied().enumerate().filter(|&(_, w)| w > 0.0).max_by(|a, b| a.1.total_cmp(&b.1))
}

fn width_sum(blocs: &[&Bloc], width: &dyn Fn(&Bloc) -> f64) -> f64 {
    blocs.iter().map(|b| width(b)).sum()
}

/// The engine's shape: the rule's statistic weights and whether it is needed.
struct Costs {
    weights: (usize, usize),
    with_other: bool,
}

impl Costs {
    /// Entries of a bloc's law of yes (module doc).
    fn yes_width(b: &Bloc) -> f64 {
        let k = f64::from(b.unnamed());
        let unnamed = if whole(b) { k + 1.0 } else { (k + 1.0).min(10.0 * k.sqrt() + 1.0) };
        unnamed + b.members.len() as f64
    }

    fn statistic_width(&self, b: &Bloc) -> f64 {
        (self.weights.0 + self.weights.1) as f64 * Self::yes_width(b)
    }

    /// An upper bound on the sd of a bloc's statistic (each vote's probabilities at
    /// 1/2): (w_yes + w_other) times that of its yes count.
    fn statistic_sd(&self, b: &Bloc) -> f64 {
        (self.weights.0 + self.weights.1) as f64 * self_sd(b)
    }

    /// Building one bloc's laws once (both switch states).
    fn build(&self, b: &Bloc, statistic: bool) -> f64 {
        let k = f64::from(b.unnamed());
        let members = b.members.len() as f64;
        let states = if b.switch > 0.0 && b.switch < 1.0 { 2.0 } else { 1.0 };
        let yes = 10.0 * (k + 1.0) + 2.0 * members * Self::yes_width(b);
        let entries = match cohesive(b) {
            true => ENTRY * (k + 1.0) * (k + 2.0) / 2.0,
            false => (10.0 * k.sqrt() + 1.0).min(k + 1.0).powi(2),
        };
        let law = if statistic { entries + 3.0 * members * self.statistic_width(b) } else { 0.0 };
        states * (yes + law)
    }

    /// `work` shared among `blocs` in proportion to `width`.
    fn share(blocs: &[&Bloc], work: f64, width: impl Fn(&Bloc) -> f64, own: &mut dyn FnMut(&Bloc, f64)) {
        let total = width_sum(blocs, &width).max(1.0);
        blocs.iter().for_each(|b| own(b, work * width(b) / total));
    }

    /// Direct convolution of laws of these shapes, one after another: each law's
    /// nonzero entries times the running law's width, which the trims keep within
    /// about 19 of its sds (sds add in quadrature).
    fn convolution(&self, laws: &[Shape]) -> f64 {
        let (mut width, mut variance, mut work) = (0.0f64, 0.0f64, 0.0);
        for law in laws {
            work += BLOC + law.nonzero * width.min(19.0 * variance.sqrt()).max(1.0);
            width += law.width;
            variance += law.sd * law.sd;
        }
        work
    }

    /// A bloc's law of yes: dense, sd at most √k/2 (times √(1 + (k − 1)ρ) under cohesion).
    fn yes_shape(b: &Bloc) -> Shape {
        let width = Self::yes_width(b);
        Shape { width, nonzero: width, sd: self_sd(b) }
    }

    /// A bloc's law of the statistic: (w_yes + w_other) times wider than its law
    /// of yes, with at most one entry per pair (yes, other) kept.
    fn statistic_shape(&self, b: &Bloc) -> Shape {
        let k = f64::from(b.unnamed());
        let pairs = match cohesive(b) {
            true => (k + 1.0) * (k + 2.0) / 2.0,
            false => (10.0 * k.sqrt() + 1.0).min(k + 1.0).powi(2),
        } * 3f64.powf(b.members.len().min(30) as f64);
        let width = self.statistic_width(b);
        Shape { width, nonzero: width.min(pairs), sd: self.statistic_sd(b) }
    }

    /// The blocs the swing leaves alone, built and convolved once.
    fn once(&self, blocs: &[&Bloc], own: &mut dyn FnMut(&Bloc, f64)) -> f64 {
        let mut work = 0.0;
        for b in blocs {
            let w = self.build(b, self.with_other);
            own(b, w);
            work += w;
        }
        let yes: Vec<Shape> = blocs.iter().map(|b| Self::yes_shape(b)).collect();
        let statistic: Vec<Shape> = blocs.iter().map(|b| self.statistic_shape(b)).collect();
        work + self.convolution(&yes) + if self.with_other { self.convolution(&statistic) } else { 0.0 }
    }

    /// The distribution's swing integral: anchors for the group, the rest at every node.
    fn yes_integral(
        &self,
        group: &[&Bloc],
        per_node: &[&Bloc],
        anchors: usize,
        own: &mut dyn FnMut(&Bloc, f64),
    ) -> f64 {
        let group_laws: Vec<Shape> = group.iter().map(|b| Self::yes_shape(b)).collect();
        let group_width = group_laws.iter().map(|l| l.width).sum::<f64>();
        let group_sd = group_laws.iter().map(|l| l.sd * l.sd).sum::<f64>().sqrt();
        let mut node = group_width;
        let mut laws = vec![Shape { width: group_width, nonzero: group_width.min(19.0 * group_sd), sd: group_sd }];
        for b in per_node {
            let w = self.build(b, false);
            own(b, YES_NODES * w);
            node += w;
            laws.push(Self::yes_shape(b));
        }
        let anchor = group.iter().map(|b| self.build(b, false)).sum::<f64>() + self.convolution(&group_laws);
        let convolution = YES_NODES * self.convolution(&laws);
        Self::share(per_node, convolution, Self::yes_width, own);
        YES_NODES * node + convolution + anchors as f64 * anchor
    }

    /// P(pass)'s integral: every moved bloc's statistic at every evaluation, summed
    /// directly or by transform, whichever costs less.
    fn pass_integral(&self, moved: &[&Bloc], own: &mut dyn FnMut(&Bloc, f64)) -> f64 {
        let mut evaluation = 0.0;
        for b in moved {
            let w = self.build(b, true);
            own(b, PASS_EVALUATIONS * w);
            evaluation += w;
        }
        let laws: Vec<Shape> = moved.iter().map(|b| self.statistic_shape(b)).collect();
        // The transforms span the window of the sum: about 19 of its sds, at most
        // the sum of the widths; the narrowest laws are merged directly first.
        let sd = laws.iter().map(|l| l.sd * l.sd).sum::<f64>().sqrt();
        let window = laws.iter().map(|l| l.width).sum::<f64>().min(19.0 * sd);
        let length = window.max(2.0).log2().ceil().exp2();
        // Narrow laws are merged directly until a merge would cost a transform
        // (`spectral`): about `narrow / reach` laws of `reach` entries each remain.
        let reach = (2.0 * length * length.log2()).sqrt();
        let narrow: f64 = laws.iter().map(|l| l.nonzero).filter(|&n| n <= reach).sum();
        let wide = laws.iter().filter(|l| l.nonzero > reach).count() as f64;
        let transforms = ((wide + (narrow / reach).ceil()) / 2.0).ceil() + 1.0;
        let merges = narrow * reach;
        let by_transform = TRANSFORM * transforms * 2.0 * length * length.log2() + merges + BLOC * laws.len() as f64;
        let sum = PASS_EVALUATIONS * self.convolution(&laws).min(by_transform);
        Self::share(moved, sum, |b| self.statistic_width(b), own);
        PASS_EVALUATIONS * evaluation + sum
    }
}

/// What the cost of convolving a law depends on.
struct Shape {
    /// Entries from the first to the last.
    width: f64,
    /// Entries that are not zero (at most `width`).
    nonzero: f64,
    /// An upper bound on its sd, in entries.
    sd: f64,
}

/// An upper bound on the sd of a bloc's yes count: √k/2, times √(1 + (k − 1)ρ)
/// under cohesion (every vote's probability at 1/2).
fn self_sd(b: &Bloc) -> f64 {
    let k = f64::from(b.unnamed()) + b.members.len() as f64;
    let spread = if whole(b) { 1.0 + (k - 1.0) * b.cohesion } else { 1.0 };
    (k * spread).sqrt() / 2.0
}

/// Whether the bloc's unnamed members are Dirichlet-multinomial (0 < ρ < 1, two or more).
fn cohesive(b: &Bloc) -> bool {
    b.unnamed() > 1 && b.cohesion < 1.0 && concentration(b.cohesion).is_some()
}

/// Whether the bloc's law of yes spreads over the whole bloc (cohesive, or ρ = 1:
/// all or none, with the zeros between kept).
fn whole(b: &Bloc) -> bool {
    b.unnamed() > 1 && concentration(b.cohesion).is_some()
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = |work: f64| work * UNIT_SECONDS;
        write!(
            f,
            "the exact engine would need about {:.1e} multiply-adds here (about {:.0} s on 2 cores), \
             more than its limit of {:.1e} for this chamber (about {:.0} s)",
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(limit(10_000) < limit(10_001));
        let at = |seats: u32| {
            let text = source(9_000, 0.3, CAST, 0.3).text.replacen(
                "seats = 9000",
                &format!("seats = {seats}\nvacancies = {}", seats - 9_000),
                1,
            );
            Source { origin: "big.toml".into(), stem: "big".into(), text }.parse().unwrap()
        };
        let (small, large) = (at(10_000), at(10_001));
        let work = estimate(&small).work;
        assert_eq!(work, estimate(&large).work);
        assert_eq!(check(&small).is_ok(), work <= limit(10_000));
        assert_eq!(check(&large).is_ok(), work <= limit(10_001));
    }
}
