//! One simulated vote: the per-vote loop over blocs, with per-bloc state prepared once.
//!
//! Each bloc is simulated in one of two ways, both exact in law:
//! - **table** (fast path): a bloc the swing does not move has a fixed law of
//!   (counted yes, other) counts, which the exact engine computes once, switch
//!   mixture and Dirichlet-multinomial included; a vote then costs one 64-bit
//!   uniform and a guide-table inversion ([`super::inverse`]);
//! - **direct** (reference path, [`super::direct`]): the model simulated as
//!   written, for blocs the swing moves and whenever the fast path is turned off.
//!
//! Per-bloc counts stay available inside the vote (see [`Kernel::sample_blocs`])
//! for analyses that need them; the plain run does not pay for them.

use super::direct::DirectBloc;
use super::inverse::InverseCdf;
use crate::exact::{Joint, bloc_joint};
use crate::rules::PassTest;
use crate::scenario::Scenario;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Which simulation paths the kernel may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paths {
    /// Inverse-CDF tables wherever a bloc's law is fixed (the default).
    #[default]
    Fast,
    /// The literal simulation everywhere.
    Direct,
}

/// A bloc's law as an inverse-CDF table over its (yes, other) outcomes, in order.
#[derive(Debug, Clone)]
struct TableBloc {
    table: InverseCdf,
    outcomes: Vec<(u32, u32)>,
}

#[derive(Debug, Clone)]
enum Unit {
    Table(TableBloc),
    Direct(DirectBloc),
}

/// Everything needed to simulate votes of one scenario.
#[derive(Debug, Clone)]
pub struct Kernel {
    test: PassTest,
    swing_sd: f64,
    units: Vec<Unit>,
    seats: usize,
}

impl Kernel {
    /// Prepares `scenario` for sampling along `paths`.
    pub fn new(scenario: &Scenario, paths: Paths) -> Kernel {
        let test = scenario.rule.test(scenario.chamber.seats);
        let with_other = matches!(test, PassTest::Balance { .. });
        let moved = |swing: bool| swing && scenario.has_swing();
        let units = scenario
            .blocs
            .iter()
            .filter(|b| b.seats > 0)
            .map(|b| match paths {
                Paths::Fast if !moved(b.swing) => {
                    Unit::Table(TableBloc::new(&bloc_joint(b, &scenario.rule, with_other, 1.0)))
                }
                _ => Unit::Direct(DirectBloc::new(b, &scenario.rule, with_other, scenario.swing_sd)),
            })
            .collect();
        let swing_sd = if scenario.has_swing() { scenario.swing_sd } else { 0.0 };
        Kernel { test, swing_sd, units, seats: scenario.chamber.seats as usize }
    }

    /// The rule's test.
    pub fn test(&self) -> PassTest {
        self.test
    }

    /// The number of seats, so histograms have `seats + 1` bins.
    pub fn seats(&self) -> usize {
        self.seats
    }

    /// Counted (yes, other) in one simulated vote.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> (u32, u32) {
        self.sample_blocs(rng, |_, _| {})
    }

    /// One simulated vote, calling `each(bloc index, (yes, other))` for every bloc
    /// with seats, in file order; returns the chamber's totals.
    #[inline]
    pub fn sample_blocs<R: Rng + ?Sized>(&self, rng: &mut R, mut each: impl FnMut(usize, (u32, u32))) -> (u32, u32) {
        let factor = if self.swing_sd > 0.0 {
            let z: f64 = StandardNormal.sample(rng);
            (self.swing_sd * z).exp()
        } else {
            1.0
        };
        let (mut yes, mut other) = (0, 0);
        for (i, unit) in self.units.iter().enumerate() {
            let (y, o) = match unit {
                Unit::Table(t) => t.outcomes[t.table.sample(rng.next_u64())],
                Unit::Direct(d) => d.sample(rng, factor),
            };
            each(i, (y, o));
            yes += y;
            other += o;
        }
        (yes, other)
    }
}

impl TableBloc {
    fn new(joint: &Joint) -> TableBloc {
        let mut weights = Vec::new();
        let mut outcomes = Vec::new();
        for y in 0..=joint.max_yes() {
            for o in 0..=joint.max_other() {
                let p = joint.get(y, o);
                if p > 0.0 {
                    weights.push(p);
                    outcomes.push((y as u32, o as u32));
                }
            }
        }
        TableBloc { table: InverseCdf::new(&weights), outcomes }
    }
}
