//! The exact engine: the distribution of counted yes votes without sampling.
//!
//! **Method.** Given the chamber-wide swing z, blocs are independent. For each bloc
//! the law of counted yes and the law of the rule's statistic
//! s = w_yes·yes − w_other·other (see [`crate::rules`]) are built in closed form
//! for its unnamed members (multinomial, or Dirichlet-multinomial under cohesion;
//! see `compound` and `statistic`), each named member is convolved in as a
//! two- or three-point law, and the two switch states are mixed. The chamber's
//! laws are 1-D convolutions of the blocs' laws. Memory is linear in the seats:
//! (w_yes + w_other)·seats + 1 entries for the statistic, and the (yes, other)
//! table of a bloc is never built. When the rule needs only yes the statistic is
//! not built at all. Convolutions skip the exactly-zero (underflowed) ends of
//! both laws, so a large chamber costs time in its laws' effective widths.
//!
//! The swing is integrated with the nested trapezoid rules of [`quadrature`];
//! blocs the swing does not move are convolved once. The first round has 33
//! nodes, and each further round adds the midpoints (halving the step, reusing
//! every node before it) until P(pass) moves by less than 1e-11 and the
//! distribution by less than 1e-10 in total variation (at most 16,385 nodes;
//! [`Exact::change`] reports the last movement). At each node only the moved
//! blocs' law is built and added with the node's weight; the fixed blocs are
//! convolved once with that mixture over the nodes.
//!
//! **Tilting** (see `tilt`). Under a rule that counts yes alone, the moved blocs
//! whose members are independent given the swing (no cohesion, no switch) form a
//! group whose law of yes at z is its law at an anchor a reweighted by e^{σ(z−a)k}
//! and renormalised. The group is convolved directly (not by FFT) at a few anchors
//! spaced so that each node's tilt t = σ(z − a) stays within a reach R of about
//! 9.5 standard deviations of the group's count (R√n ≤ 30 for n members),
//! trimmed under the extreme tilts ±R, and tilted to each node in O(width).
//! Switching and cohesive moved blocs, whose laws are mixtures of tilts with
//! different normalisers or not tilts at all, are rebuilt at each node and
//! convolved with the tilted law. Under a rule with a statistic (present, cast,
//! fractions of them) the statistic does not tilt (it would need the group's
//! joint law of (yes, statistic)), so the two integrals are split: the
//! distribution of yes is integrated as above, and P(pass) as one scalar
//! integral of P(pass | z) by adaptive Gauss–Kronrod (see `pass`), its
//! evaluations gathered around the step that P(pass | z) makes in z; under a wide
//! fraction rule each evaluation sums the moved blocs' laws by FFT (see `pass`
//! and `spectral`; [`solve_by_transform`] forces it). [`solve_per_node`] keeps the reference
//! method (the whole chamber convolved at every node) for cross-checks.
//!
//! **Error bounds.** Without a swing the errors are rounding (entries carry a
//! relative error O(k·ε·|log p|) and the total mass is 1 within 1e-13) and the
//! tails dropped around each convolution: at most [`TAIL`] = 1e-20 of mass from
//! each end of a bloc's laws and of the chamber's, so P(pass) and every
//! probability move by less than 4e-20 per bloc (4e-15 for 100,000 blocs). Without this, the far tails
//! of large blocs (entries of 1e-200 that never matter) cost most of the time. With a
//! swing add the quadrature error, estimated by `change`, below 1e-11 on P(pass)
//! for every shipped scenario, plus 2Φ(−8.5) ≈ 2e-17 for the cut tails. Tilting
//! adds no approximation: each trim of an anchor law drops at most `TAIL` per end
//! under every tilt it serves (a tail's mass is monotone in the tilt), entries lost
//! to underflow at an anchor weigh below 1e-145 at any node it serves (Hoeffding's
//! bound, given R√n ≤ 30), and tilting a stored entry costs a relative error of
//! about (745 + R·width)·ε ≤ 2e-13, the order of the blocs' own log-space
//! rounding. The tests hold the tilted engine to the per-node one within 1e-12 in
//! P(pass) and in total variation. Counts are exact integers throughout; no
//! probability is ever negative.

pub mod cost;
mod integrate;
mod margin;
mod pass;
pub mod quadrature;
mod span;
use span::{kept, trim_tails};
mod spectral;
mod statistic;
mod tilt;
mod vexp;

pub use margin::margin;

use integrate::refine;
use statistic::{member_statistic, unnamed_statistic};
use std::sync::atomic::{AtomicBool, Ordering};
use tilt::Tilt;
pub use tilt::{MAX_REACH, tilted_blocs};

use crate::model::{self, Lift, State, bloc_counts, convolve, mixed};
use crate::rules::PassTest;
use crate::scenario::{Bloc, Probs, Scenario};

/// Tolerance on P(pass) between successive quadrature refinements.
pub const PASS_TOLERANCE: f64 = 1e-11;
/// Tolerance on the distribution (sum of absolute changes) between refinements.
pub const DISTRIBUTION_TOLERANCE: f64 = 1e-10;
/// Mass dropped from each end of a bloc's laws and of the chamber's, around each convolution.
pub const TAIL: f64 = 1e-20;
/// Quadrature nodes whose laws are built in parallel at a time (the first round's 33 in one go).
const PARALLEL_NODES: usize = 33;
/// An [`Exact::change`] above this is reported to the user: the swing integral
/// stopped at its limit before P(pass) settled to the digits shown.
pub const CHANGE_NOTICE: f64 = 1e-9;

/// The exact answer for a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Exact {
    /// P(exactly k counted yes votes) for k = 0..=seats.
    pub yes: Vec<f64>,
    /// P(the motion passes).
    pub p_pass: f64,
    /// Quadrature nodes evaluated for the swing's integral of the distribution, all
    /// rounds together (1 without a swing).
    pub nodes: usize,
    /// How much P(pass) moved at the last doubling of the nodes (0 without a
    /// swing); under a rule with a statistic, the larger of that and the
    /// estimated error of P(pass)'s adaptive integral.
    pub change: f64,
}

/// A law of (yes, the statistic) so far, for one bloc or the chamber: yes, the
/// statistic indexed by s + offset, and P(every vote is "neither").
#[derive(Debug, Clone)]
struct Accumulator {
    yes: Vec<f64>,
    statistic: Vec<f64>,
    offset: usize,
    empty: f64,
}

/// What the engine needs from the scenario, prepared once.
struct Model<'a> {
    scenario: &'a Scenario,
    test: PassTest,
    with_other: bool,
    /// Whether blocs' laws of yes are built (not when only the statistic is needed).
    with_yes: bool,
    weights: (usize, usize),
    /// The multiply–adds above which P(pass | z) sums the moved blocs' laws by transform.
    transform_above: f64,
    /// The most nodes and evaluations the swing integrals may use (see [`cost::budget`]).
    budget: cost::Budget,
}

/// How a caller stops [`solve_with`].
struct Watch<'a> {
    stop: &'a AtomicBool,
}

impl Watch<'_> {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Computes the exact distribution and P(pass) of `scenario`.
pub fn solve(scenario: &Scenario) -> Exact {
    let never = AtomicBool::new(false);
    solve_with(scenario, &|_| {}, &never).expect("a run that is never stopped finishes")
}

/// [`solve`], reporting progress in thousandths of the expected work to
/// `progress` (assuming the quadrature converges at the next refinement; never
/// decreasing; 1000 when done) and checking `stop` between blocs and quadrature
/// nodes: `None` when stopped.
pub fn solve_with(scenario: &Scenario, progress: &dyn Fn(u64), stop: &AtomicBool) -> Option<Exact> {
    let model = Model { budget: cost::budget(scenario), ..Model::new(scenario) };
    solve_model(model, true, progress, stop)
}

/// [`solve`] by the reference method: every swing-moved bloc rebuilt and the
/// whole chamber convolved at every quadrature node, no tilting (for cross-checks).
pub fn solve_per_node(scenario: &Scenario) -> Exact {
    let never = AtomicBool::new(false);
    solve_by(scenario, false, &|_| {}, &never).expect("a run that is never stopped finishes")
}

/// [`solve`] with every P(pass | z) under a rule with a statistic summed by
/// transform however cheap the direct convolution (see `spectral`; for cross-checks).
pub fn solve_by_transform(scenario: &Scenario) -> Exact {
    let never = AtomicBool::new(false);
    let model = Model { transform_above: -1.0, ..Model::new(scenario) };
    solve_model(model, true, &|_| {}, &never).expect("a run that is never stopped finishes")
}

fn solve_by(scenario: &Scenario, tilted: bool, progress: &dyn Fn(u64), stop: &AtomicBool) -> Option<Exact> {
    solve_model(Model::new(scenario), tilted, progress, stop)
}

fn solve_model(model: Model, tilted: bool, progress: &dyn Fn(u64), stop: &AtomicBool) -> Option<Exact> {
    let scenario = model.scenario;
    let watch = Watch { stop };
    let moved = |b: &Bloc| model::moves(scenario, b);
    let fixed =
        model.accumulate(Accumulator::unit(), scenario.blocs.iter().filter(|b| !moved(b)), Lift::NONE, &watch)?;
    if !scenario.has_swing() {
        let (yes, p_pass) = model.finish(&fixed);
        progress(1000);
        return Some(Exact { yes, p_pass, nodes: 1, change: 0.0 });
    }
    let dynamic: Vec<&Bloc> = scenario.blocs.iter().filter(|b| moved(b)).collect();
    if tilted && model.with_other {
        // The distribution of yes tilts; P(pass) is a scalar integral of its own.
        let yes_model = Model { with_other: false, ..model };
        let mut tilt = Tilt::new(&yes_model, &dynamic, true);
        let half = |p: u64| progress(p / 2);
        let mut sums = quadrature::Sums::default();
        let mut run =
            |round, report: &dyn Fn(usize)| yes_model.integrate(&fixed, &mut tilt, &mut sums, round, &watch, report);
        let yes = refine(&mut run, model.budget.yes_nodes, &half)?;
        let (p_pass, error) = model.pass_integral(&fixed, &dynamic, &watch, &|p| progress(500 + p / 2))?;
        progress(1000);
        return Some(Exact { p_pass, change: yes.change.max(error), ..yes });
    }
    let mut tilt = Tilt::new(&model, &dynamic, tilted && !model.with_other);
    let mut sums = quadrature::Sums::default();
    let mut run = |round: u32, report: &dyn Fn(usize)| match tilted {
        true => model.integrate(&fixed, &mut tilt, &mut sums, round, &watch, report),
        false => model.integrate_per_node(&fixed, &dynamic, &mut sums, round, &watch, report),
    };
    refine(&mut run, model.budget.yes_nodes, progress)
}

/// One bloc's law of the rule's statistic s = w_yes·yes − w_other·other, indexed by
/// s + w_other·seats, and P(no yes and no other vote), at lift `factor` (applied
/// whether or not the swing moves the bloc; `None`: none): in memory linear in its
/// seats, for `explain`. Under a rule decided by yes alone, the law of yes.
pub fn bloc_statistic(scenario: &Scenario, bloc: &Bloc, factor: Option<Lift>) -> (Vec<f64>, f64) {
    let model = Model::new(scenario);
    let with_yes = !model.with_other;
    let law = Model { with_yes, ..model }.bloc_law(bloc, factor);
    match with_yes {
        true => (law.yes.clone(), law.yes[0]),
        false => (law.statistic, law.empty),
    }
}

/// The distribution and P(pass) given the swing draw z (for tests and diagnostics).
pub fn conditional(scenario: &Scenario, z: f64) -> (Vec<f64>, f64) {
    let model = Model::new(scenario);
    let factor = Lift::at(scenario.swing_sd, z);
    let never = AtomicBool::new(false);
    let watch = Watch { stop: &never };
    let acc = model.accumulate(Accumulator::unit(), scenario.blocs.iter(), factor, &watch);
    model.finish(&acc.expect("never stopped"))
}

impl Accumulator {
    fn unit() -> Self {
        Accumulator { yes: vec![1.0], statistic: vec![1.0], offset: 0, empty: 1.0 }
    }

    fn add(mut self, mut law: Accumulator, with_other: bool) -> Self {
        trim_tails(&mut law.yes);
        trim_tails(&mut law.statistic);
        self.yes = convolve(&self.yes, &law.yes);
        trim_tails(&mut self.yes);
        if with_other {
            self.statistic = convolve(&self.statistic, &law.statistic);
            trim_tails(&mut self.statistic);
            self.offset += law.offset;
        }
        self.empty *= law.empty;
        self
    }

    /// `self·w + other·(1 − w)`, for two laws of the same shape.
    fn mix(&self, w: f64, other: &Accumulator) -> Accumulator {
        let blend = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * w + y * (1.0 - w)).collect();
        Accumulator {
            yes: blend(&self.yes, &other.yes),
            statistic: blend(&self.statistic, &other.statistic),
            offset: self.offset,
            empty: self.empty * w + other.empty * (1.0 - w),
        }
    }
}

impl<'a> Model<'a> {
    fn new(scenario: &'a Scenario) -> Self {
        let test = scenario.rule.test(scenario.chamber.seats);
        let weights = match test {
            PassTest::AtLeast(_) => (1, 0),
            PassTest::Balance { yes_weight, other_weight, .. } => (yes_weight as usize, other_weight as usize),
        };
        let with_other = test.needs_other();
        let budget = cost::Budget::UNLIMITED;
        Model { scenario, test, with_other, with_yes: true, weights, transform_above: pass::DIRECT_WORK, budget }
    }

    fn accumulate<'b>(
        &self,
        mut acc: Accumulator,
        blocs: impl Iterator<Item = &'b Bloc>,
        factor: Lift,
        watch: &Watch,
    ) -> Option<Accumulator> {
        for b in blocs {
            if watch.stopped() {
                return None;
            }
            let swing = model::moves(self.scenario, b).then_some(factor);
            acc = acc.add(self.bloc_law(b, swing), self.with_other);
        }
        Some(acc)
    }

    /// One bloc's laws at swing lift `factor` (`None`: unmoved): per switch
    /// state, the unnamed members' laws convolved with each named member's, then
    /// the states mixed.
    fn bloc_law(&self, bloc: &Bloc, factor: Option<Lift>) -> Accumulator {
        let (rule, with_other, (wy, wo)) = (&self.scenario.rule, self.with_other, self.weights);
        let state = |state: State| {
            let q = |p: &Probs| state.categories(p, rule, with_other, factor);
            let unnamed = q(&bloc.probs);
            let yes = match self.with_yes {
                true => bloc_counts(bloc.unnamed(), unnamed, bloc.cohesion, false).yes_marginal(),
                false => vec![1.0],
            };
            let mut law = Accumulator { yes, statistic: Vec::new(), offset: wo * bloc.seats as usize, empty: 1.0 };
            if with_other {
                (law.statistic, law.empty) = unnamed_statistic(bloc.unnamed(), unnamed, bloc.cohesion, wy, wo);
            }
            for m in &bloc.members {
                let qm = q(&m.probs);
                if self.with_yes {
                    law.yes = convolve(&law.yes, &[qm[1] + qm[2], qm[0]]);
                }
                if with_other {
                    law.statistic = convolve(&law.statistic, &member_statistic(qm, wy, wo));
                    law.empty *= qm[2];
                }
            }
            law
        };
        mixed(bloc, state, |a, w, b| a.mix(w, &b))
    }

    /// The yes law padded to the chamber's seats, and P(pass).
    fn finish(&self, acc: &Accumulator) -> (Vec<f64>, f64) {
        let mut yes = acc.yes.clone();
        yes.resize(self.scenario.chamber.seats as usize + 1, 0.0);
        let p = match self.test {
            PassTest::AtLeast(n) => yes.iter().skip(n as usize).sum(),
            PassTest::Balance { .. } => {
                let passing: f64 = acc
                    .statistic
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| self.test.passes_statistic(i as i64 - acc.offset as i64))
                    .map(|(_, p)| p)
                    .sum();
                // s = 0 with no yes vote at all never passes (see PassTest::passes).
                let zero_counts = self.test.passes_statistic(0);
                passing - if zero_counts { acc.empty } else { 0.0 }
            }
        };
        (yes, p.clamp(0.0, 1.0))
    }
}
