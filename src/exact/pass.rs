//! P(pass) under a rule with a statistic (majority of those present or of votes
//! cast, fraction rules) and a swing, as one scalar integral over z.
//!
//! **Method.** The fixed blocs' law of the statistic is built once; its upper
//! tail sums give F(s), the probability that the fixed blocs' statistic carries a
//! moved statistic s to a pass (the pass test is a threshold on the chamber's
//! statistic, see [`PassTest::passes_statistic`]). At a swing draw z only the
//! moved blocs' law of the statistic is built, and
//! g(z) = P(pass | z) = Σ_s P(S_moved = s | z)·F(s) − [s = 0 passes]·P(every vote is neither | z).
//! P(pass) = E g(Z) is integrated by adaptive Gauss–Kronrod
//! ([`quadrature::adaptive`]) to an estimated error of [`PASS_ERROR`]: g is a
//! smooth step in z (non-decreasing when no moved bloc is cohesive, as the swing
//! moves each member's mass to yes, whose weight in the statistic is the
//! largest), so its evaluations gather around the step instead of
//! filling [−L, L] with the fine panels that the whole distribution needs (the
//! distribution of yes, which tilts, is integrated separately by the caller).
//!
//! **Error bound.** The estimated quadrature error (below `PASS_ERROR` unless the
//! refinement hit [`quadrature::MAX_ADAPTIVE_PANELS`], reported in
//! [`super::Exact::change`]), the cut tails of the swing (2Φ(−8.5) ≈ 2e-17), and
//! the trimmed tails of the blocs' laws ([`super::TAIL`] per end per
//! convolution), as for the per-node method.

use super::{Accumulator, Model, Watch, quadrature};
use crate::model::Lift;
use crate::rules::PassTest;
use crate::scenario::Bloc;

/// The estimated error to which P(pass) is integrated.
pub const PASS_ERROR: f64 = 1e-13;

/// The fixed blocs' pass function F over the moved blocs' statistic.
struct Survival {
    /// tail[j] = P(fixed statistic index ≥ j), j = 0..=len.
    tail: Vec<f64>,
    /// The moved index i needs a fixed index of at least `shift` − i.
    shift: i64,
    /// P(every fixed vote is neither), when a statistic of 0 passes (else 0).
    empty: f64,
}

impl Survival {
    fn new(test: &PassTest, fixed: &Accumulator, moved_offset: usize) -> Self {
        let least = if test.passes_statistic(0) { 0 } else { 1 };
        debug_assert!(test.passes_statistic(least + 1) && !test.passes_statistic(least - 1));
        let mut tail = vec![0.0; fixed.statistic.len() + 1];
        for j in (0..fixed.statistic.len()).rev() {
            tail[j] = tail[j + 1] + fixed.statistic[j];
        }
        let shift = least + (fixed.offset + moved_offset) as i64;
        let empty = if test.passes_statistic(0) { fixed.empty } else { 0.0 };
        Survival { tail, shift, empty }
    }

    /// P(pass) given the moved blocs' law `moved`.
    fn pass(&self, moved: &Accumulator) -> f64 {
        let top = self.tail.len() as i64 - 1;
        let at = |i: usize| self.tail[(self.shift - i as i64).clamp(0, top) as usize];
        let first = moved.statistic.iter().position(|&p| p != 0.0).unwrap_or(moved.statistic.len());
        let passing: f64 = moved.statistic[first..].iter().enumerate().map(|(i, p)| p * at(first + i)).sum();
        passing - self.empty * moved.empty
    }
}

impl Model<'_> {
    /// P(pass) and its estimated quadrature error, integrating P(pass | z) over
    /// the swing (module doc); `report` gets thousandths of the expected work.
    pub(super) fn pass_integral(
        &self,
        fixed: &Accumulator,
        moved: &[&Bloc],
        watch: &Watch,
        report: &dyn Fn(u64),
    ) -> Option<(f64, f64)> {
        let (wo, sd) = (self.weights.1, self.scenario.swing_sd);
        let offset = moved.iter().map(|b| wo * b.seats as usize).sum();
        let survival = Survival::new(&self.test, fixed, offset);
        let statistic_only = Model { with_yes: false, ..*self };
        let g = |z: f64| {
            let law = statistic_only.accumulate(Accumulator::unit(), moved.iter().copied(), Lift::at(sd, z), watch)?;
            Some(survival.pass(&law))
        };
        let first = std::cell::Cell::new(None);
        let progress = |error: f64| {
            let start = first.get().unwrap_or(error.max(PASS_ERROR * 10.0));
            first.set(Some(start));
            let done = (start / error.max(PASS_ERROR)).ln() / (start / PASS_ERROR).ln();
            report((999.0 * done.clamp(0.0, 1.0)) as u64);
        };
        let a = quadrature::adaptive(&g, PASS_ERROR, &progress)?;
        Some((a.value.clamp(0.0, 1.0), a.error))
    }
}
