//! The engine's costs part by part (see the parent module's method): the shapes of
//! the blocs' laws and what building and convolving them takes.

use super::{BLOC, ENTRY, PASS_EVALUATIONS, TRANSFORM, YES_NODES};
use crate::model::concentration;
use crate::scenario::Bloc;

/// The total of `width` over `blocs`.
pub(super) fn width_sum(blocs: &[&Bloc], width: &dyn Fn(&Bloc) -> f64) -> f64 {
    blocs.iter().map(|b| width(b)).sum()
}

/// The engine's shape: the rule's statistic weights and whether it is needed.
pub(super) struct Costs {
    pub weights: (usize, usize),
    pub with_other: bool,
}

impl Costs {
    /// Entries of a bloc's law of yes (module doc).
    pub(super) fn yes_width(b: &Bloc) -> f64 {
        let unnamed = if whole(b) { f64::from(b.unnamed()) + 1.0 } else { binomial_width(b) };
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
        let members = b.members.len() as f64;
        let states = if b.switch > 0.0 && b.switch < 1.0 { 2.0 } else { 1.0 };
        let yes = 10.0 * (f64::from(b.unnamed()) + 1.0) + 2.0 * members * Self::yes_width(b);
        let entries = if cohesive(b) { ENTRY * pairs(b) } else { pairs(b) };
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
        let kept = pairs(b) * 3f64.powf(b.members.len().min(30) as f64);
        let width = self.statistic_width(b);
        Shape { width, nonzero: width.min(kept), sd: self.statistic_sd(b) }
    }

    /// The blocs the swing leaves alone, built and convolved once.
    pub(super) fn once(&self, blocs: &[&Bloc], own: &mut dyn FnMut(&Bloc, f64)) -> f64 {
        let work = credited(blocs, 1.0, |b| self.build(b, self.with_other), own);
        let yes: Vec<Shape> = blocs.iter().map(|b| Self::yes_shape(b)).collect();
        let statistic = || blocs.iter().map(|b| self.statistic_shape(b)).collect::<Vec<_>>();
        work + self.convolution(&yes) + if self.with_other { self.convolution(&statistic()) } else { 0.0 }
    }

    /// The distribution's swing integral: anchors for the group, the rest at every node.
    pub(super) fn yes_integral(
        &self,
        group: &[&Bloc],
        per_node: &[&Bloc],
        anchors: usize,
        own: &mut dyn FnMut(&Bloc, f64),
    ) -> f64 {
        let group_laws: Vec<Shape> = group.iter().map(|b| Self::yes_shape(b)).collect();
        let group_width = group_laws.iter().map(|l| l.width).sum::<f64>();
        let group_sd = group_laws.iter().map(|l| l.sd * l.sd).sum::<f64>().sqrt();
        let node = group_width + credited(per_node, YES_NODES, |b| self.build(b, false), own);
        let tilted = Shape { width: group_width, nonzero: group_width.min(19.0 * group_sd), sd: group_sd };
        let laws: Vec<Shape> = std::iter::once(tilted).chain(per_node.iter().map(|b| Self::yes_shape(b))).collect();
        let anchor = group.iter().map(|b| self.build(b, false)).sum::<f64>() + self.convolution(&group_laws);
        let convolution = YES_NODES * self.convolution(&laws);
        Self::share(per_node, convolution, Self::yes_width, own);
        YES_NODES * node + convolution + anchors as f64 * anchor
    }

    /// One node of `explain`: the three laws of each `rebuilt` bloc, three passes of
    /// convolutions over `every` bloc, and the members' recursions when asked.
    pub(super) fn explain_node(
        &self,
        every: &[&Bloc],
        rebuilt: &[&Bloc],
        members: bool,
        own: &mut dyn FnMut(&Bloc, f64),
    ) -> f64 {
        let recursions = |b: &Bloc| if members { 3.0 * b.members.len() as f64 * self.statistic_width(b) } else { 0.0 };
        let work = credited(rebuilt, 1.0, |b| 3.0 * self.build(b, self.with_other) + recursions(b), own);
        let laws: Vec<Shape> = match self.with_other {
            true => every.iter().map(|b| self.statistic_shape(b)).collect(),
            false => every.iter().map(|b| Self::yes_shape(b)).collect(),
        };
        let convolution = 3.0 * self.convolution(&laws);
        Self::share(every, convolution, Self::yes_width, own);
        work + convolution
    }

    /// P(pass)'s integral: every moved bloc's statistic at every evaluation, summed
    /// directly or by transform, whichever costs less.
    pub(super) fn pass_integral(&self, moved: &[&Bloc], own: &mut dyn FnMut(&Bloc, f64)) -> f64 {
        let evaluation = credited(moved, PASS_EVALUATIONS, |b| self.build(b, true), own);
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

/// The total of `work` over `blocs`, each bloc credited with its own work `times` over.
fn credited(blocs: &[&Bloc], times: f64, work: impl Fn(&Bloc) -> f64, own: &mut dyn FnMut(&Bloc, f64)) -> f64 {
    let mut total = 0.0;
    for b in blocs {
        let w = work(b);
        own(b, times * w);
        total += w;
    }
    total
}

/// Entries of a binomial bloc's law of yes: at most 10·√k + 1 (trimmed at 1e-20
/// per tail, its sd at most √k/2), and at most k + 1.
fn binomial_width(b: &Bloc) -> f64 {
    let k = f64::from(b.unnamed());
    (10.0 * k.sqrt() + 1.0).min(k + 1.0)
}

/// The pairs (yes, other) a bloc's law of the statistic visits: all
/// (k + 1)(k + 2)/2 under cohesion, a square of the binomial width otherwise.
fn pairs(b: &Bloc) -> f64 {
    let k = f64::from(b.unnamed());
    if cohesive(b) { (k + 1.0) * (k + 2.0) / 2.0 } else { binomial_width(b).powi(2) }
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
pub(super) fn cohesive(b: &Bloc) -> bool {
    b.unnamed() > 1 && b.cohesion < 1.0 && concentration(b.cohesion).is_some()
}

/// Whether the bloc's law of yes spreads over the whole bloc (cohesive, or ρ = 1:
/// all or none, with the zeros between kept).
fn whole(b: &Bloc) -> bool {
    b.unnamed() > 1 && concentration(b.cohesion).is_some()
}
