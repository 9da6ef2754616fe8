//! One simulated vote: the per-vote loop over blocs, with per-bloc state prepared once.
//!
//! Each bloc is simulated in one of two ways, both exact in law:
//! - **table** (fast path): a bloc the swing does not move has a fixed law of
//!   (counted yes, other) counts, which the exact engine computes once, switch
//!   mixture and Dirichlet-multinomial included; a vote then costs one 32-bit
//!   uniform (two blocs share a 64-bit draw) and a guide-table inversion
//!   ([`super::inverse`]);
//! - **direct** (reference path, [`super::direct`]): the model simulated as
//!   written, for blocs the swing moves and whenever the fast path is turned off.
//!
//! Per-bloc counts stay available inside the vote (see [`Kernel::sample_blocs`])
//! for analyses that need them; the plain run passes a no-op and pays nothing.

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

/// Everything needed to simulate votes of one scenario.
#[derive(Debug, Clone)]
pub struct Kernel {
    test: PassTest,
    swing_sd: f64,
    /// Blocs with a fixed law, sampled two per 64-bit draw.
    tables: Vec<TableBloc>,
    /// Blocs simulated literally.
    direct: Vec<DirectBloc>,
    /// The scenario's bloc index of each table bloc, then of each direct bloc.
    order: Vec<usize>,
    seats: usize,
}

impl Kernel {
    /// Prepares `scenario` for sampling along `paths`.
    pub fn new(scenario: &Scenario, paths: Paths) -> Kernel {
        let test = scenario.rule.test(scenario.chamber.seats);
        let with_other = matches!(test, PassTest::Balance { .. });
        let fixed = |swing: bool| paths == Paths::Fast && !(swing && scenario.has_swing());
        let (mut tables, mut direct, mut order, mut later) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, b) in scenario.blocs.iter().enumerate().filter(|(_, b)| b.seats > 0) {
            if fixed(b.swing) {
                tables.push(TableBloc::new(&bloc_joint(b, &scenario.rule, with_other, 1.0)));
                order.push(i);
            } else {
                direct.push(DirectBloc::new(b, &scenario.rule, with_other, scenario.swing_sd));
                later.push(i);
            }
        }
        order.extend(later);
        let swing_sd = if scenario.has_swing() { scenario.swing_sd } else { 0.0 };
        Kernel { test, swing_sd, tables, direct, order, seats: scenario.chamber.seats as usize }
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
    /// with seats; returns the chamber's totals.
    #[inline]
    pub fn sample_blocs<R: Rng + ?Sized>(&self, rng: &mut R, mut each: impl FnMut(usize, (u32, u32))) -> (u32, u32) {
        let factor = if self.swing_sd > 0.0 {
            let z: f64 = StandardNormal.sample(rng);
            (self.swing_sd * z).exp()
        } else {
            1.0
        };
        let (mut yes, mut other) = (0, 0);
        let mut add = |i: usize, (y, o): (u32, u32)| {
            each(self.order[i], (y, o));
            yes += y;
            other += o;
        };
        for (pair, chunk) in self.tables.chunks(2).enumerate() {
            let r = rng.next_u64();
            add(2 * pair, chunk[0].sample(r as u32));
            if let Some(second) = chunk.get(1) {
                add(2 * pair + 1, second.sample((r >> 32) as u32));
            }
        }
        for (i, d) in self.direct.iter().enumerate() {
            add(self.tables.len() + i, d.sample(rng, factor));
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

    #[inline(always)]
    fn sample(&self, u: u32) -> (u32, u32) {
        self.outcomes[self.table.sample(u)]
    }
}
