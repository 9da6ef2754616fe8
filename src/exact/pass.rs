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
//! filling [−L, L] with the fine nodes that the whole distribution needs (the
//! distribution of yes, which tilts, is integrated separately by the caller).
//! With a cohesive moved bloc g need not be monotone: the swing also changes how
//! widely such a bloc's other votes spread against its neither votes, smoothly on
//! the scale 1/σ of the swing's odds; a bump narrower than the first round's
//! widest node gap (0.22 in z, see [`quadrature`]) could be missed.
//!
//! **Wide statistics.** Under a fraction of the votes present or cast p/q the
//! statistic is (q − p)·yes − p·other, up to 64 times wider than the yes count,
//! and convolving the moved blocs' laws one after another costs the running
//! width times each law's nonzero entries at every evaluation (26 s for 1,690
//! seats under 1/64). When that estimate exceeds [`DIRECT_WORK`] multiply–adds
//! the laws are summed by FFT instead (`spectral`: narrow laws merged directly,
//! the rest transformed in a window outside which Chernoff's bound leaves at most
//! [`super::TAIL`] per side). Only the scalar g uses it, and g is a weighted sum
//! of the law's entries with weights in [0, 1], so the transform's absolute
//! rounding (bounded in `spectral`, of order 1e-12 to 1e-11; about 1e-15 observed) and the
//! window's 4·`TAIL` go straight into g's error, which is added to the reported
//! error; the distribution of yes and every shipped scenario keep the direct sums.
//!
//! **Error bound.** The estimated quadrature error (below `PASS_ERROR` unless the
//! refinement hit [`quadrature::MAX_ADAPTIVE_PANELS`], reported in
//! [`super::Exact::change`]), the cut tails of the swing (2Φ(−8.5) ≈ 2e-17), and
//! the trimmed tails of the blocs' laws ([`super::TAIL`] per end per
//! convolution), as for the per-node method, and on the transform path the
//! largest bound of the transform's error over the evaluations.

use super::span::Span;
use super::spectral;
use super::{Accumulator, Model, Watch, kept, quadrature, trim_tails};
use crate::model::Lift;
use crate::rules::PassTest;
use crate::scenario::Bloc;
use std::sync::atomic::{AtomicU64, Ordering};

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

    /// P(pass) given the moved blocs' law of the statistic `moved` (indexed as the
    /// accumulated statistic is) and P(every moved vote is neither) `empty`.
    fn pass(&self, moved: &Span, empty: f64) -> f64 {
        let top = self.tail.len() as i64 - 1;
        let at = |i: usize| self.tail[(self.shift - i as i64).clamp(0, top) as usize];
        let passing: f64 = moved.p.iter().enumerate().map(|(i, p)| p * at(moved.first + i)).sum();
        passing - self.empty * empty
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
        // The largest error bound of a law summed by transform (bits of a non-negative f64).
        let transform_error = AtomicU64::new(0);
        let g = |z: f64| {
            let (law, empty, error) = statistic_only.moved_statistic(moved, Lift::at(sd, z), watch)?;
            transform_error.fetch_max(error.to_bits(), Ordering::Relaxed);
            Some(survival.pass(&law, empty).clamp(0.0, 1.0))
        };
        let first = std::cell::Cell::new(None);
        let progress = |error: f64| {
            let start = first.get().unwrap_or(error.max(PASS_ERROR * 10.0));
            first.set(Some(start));
            let done = (start / error.max(PASS_ERROR)).ln() / (start / PASS_ERROR).ln();
            report((999.0 * done.clamp(0.0, 1.0)) as u64);
        };
        let a = quadrature::adaptive(&g, PASS_ERROR, self.budget.pass_evaluations, &progress)?;
        let error = a.error + f64::from_bits(transform_error.into_inner());
        Some((a.value.clamp(0.0, 1.0), error))
    }

    /// The moved blocs' law of the statistic at swing lift `factor`: convolved
    /// one bloc after another (as [`Model::accumulate`] does) when that costs at
    /// most [`DIRECT_WORK`] (the model's `transform_above`), else by [`spectral::sum`]; with the bound on its
    /// error in total variation (0 when convolved directly), and P(every moved vote is neither).
    fn moved_statistic(&self, moved: &[&Bloc], factor: Lift, watch: &Watch) -> Option<(Span, f64, f64)> {
        let laws: Vec<Accumulator> = moved.iter().map(|b| self.bloc_law(b, Some(factor))).collect();
        if watch.stopped() {
            return None;
        }
        if direct_work(&laws) <= self.transform_above {
            let sum = laws.into_iter().fold(Accumulator::unit(), |acc, law| acc.add(law, true));
            return Some((Span::at(0, sum.statistic), sum.empty, 0.0));
        }
        let empty = laws.iter().map(|l| l.empty).product();
        let spans = laws
            .into_iter()
            .map(|mut l| {
                trim_tails(&mut l.statistic);
                Span::at(0, l.statistic)
            })
            .collect();
        let sum = spectral::sum(spans, self.transform_above >= 0.0);
        Some((sum.law, empty, sum.error))
    }
}

/// The multiply–adds of a direct evaluation of P(pass | z) above which the
/// moved blocs' statistics are summed by transform (about 20 ms of work; below
/// it, including every shipped scenario, the result is the direct one to the bit).
pub(super) const DIRECT_WORK: f64 = 2e7;

/// The multiply–adds of convolving `laws` one after another: each law's nonzero
/// entries times the width of all before it (an upper bound, as the tails
/// trimmed on the way narrow the running law).
fn direct_work(laws: &[Accumulator]) -> f64 {
    let (mut width, mut work) = (1.0, 0.0);
    for law in laws {
        let kept = &law.statistic[kept(&law.statistic)];
        work += width * kept.iter().filter(|&&p| p != 0.0).count() as f64;
        width += kept.len() as f64;
    }
    work
}
