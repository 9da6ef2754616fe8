//! Exponential tilting: the swing-moved blocs' law of yes at every quadrature node
//! from a few anchor laws.
//!
//! **Identity.** The swing multiplies every moved member's odds of `yes` against
//! each other outcome by e^{σz}, so a member's law over its outcomes at z is its law
//! at any anchor a reweighted by e^{σ(z − a)·[yes]} and renormalised. Counted yes is
//! either the outcome yes or nothing (a rule that does not count defectors' yes),
//! so the same holds for its count. For a set of independent members the product
//! of these laws is one tilt: P_z(Y = k) = P_a(Y = k)·e^{tk} / Σ_j P_a(Y = j)·e^{tj},
//! t = σ(z − a). That set, the *group*, is every moved bloc whose members are
//! independent given the swing: no cohesion (or at most one unnamed member) and
//! no switch (switch 0 or 1). A switching bloc's law is a mixture of its two
//! states, each a tilt with its own normaliser, so the mixture is not a tilt; a
//! cohesive bloc's Dirichlet-multinomial law is not a tilt either. Those blocs
//! are built at every node as before ([`super::Model::bloc_law`]) and convolved
//! with the group's tilted law.
//!
//! **Anchors.** The nodes in [−L, L] are served by equally spaced anchors; an
//! anchor serves the nodes within reach R of it in t = σ(z − a). The anchor law is
//! convolved directly (never by FFT: tilting needs relative accuracy in the tails,
//! which direct convolution of non-negative laws keeps, O(n·ε) per entry), and its
//! tails are trimmed *under the extreme tilts*: the upper tail while its mass
//! under tilt +R is at most [`super::TAIL`], the lower under −R. The mass of an
//! upper tail grows with t (d/dt P_t(Y > K) = Cov_t(1{Y > K}, Y) ≥ 0), so every
//! node of the anchor loses at most `TAIL` per end per trim, as without tilting.
//!
//! **Underflow bound.** Entries of an anchor law below 2.3e-308 are lost or
//! subnormal. With R ≤ [`MAX_REACH`]/√n (n the group's members) they cannot
//! matter: the law at a node is a sum of n independent two-point laws, so by
//! Hoeffding its mass further than 5√n from its mean is below 4e-22, and within
//! that distance an entry lost at the anchor weighs at most
//! 2.3e-308·e^{R(nR/4 + 5√n)} ≤ 2.3e-308·e^{375} < 1e-145 at the node (the mean
//! moves by at most nR/4). Stored entries lie within 19.3√n of the anchor's mean
//! (further out their log falls below −745), so a subnormal's rounding is
//! amplified by at most e^{19.3·30} to below 1e-70. Within those bounds R is chosen
//! for speed, about 9.5 standard deviations of the group's yes count at z = 0
//! (wider tails against fewer anchors). Tilting a stored entry costs a relative
//! error of about (745 + R·width)·ε ≤ 2e-13, the order of the log-space rounding
//! of the blocs' own laws ([`crate::model::bloc_counts`]).

use super::quadrature::HALF_WIDTH;
use super::span::Span;
use super::{Model, TAIL, trim_tails};
use crate::model::{Lift, concentration, convolve};
use crate::scenario::{Bloc, Scenario};

/// The largest reach R·√n for which the underflow bound of the module doc holds.
pub const MAX_REACH: f64 = 30.0;
/// The reach, in standard deviations of the group's yes count, chosen for speed.
const BEST_REACH: f64 = 9.5;
/// The most anchors; a wider swing rebuilds every moved bloc at every node.
pub const MAX_ANCHORS: usize = 1024;
/// Anchor laws are kept across refinements when there are at most this many
/// (otherwise only the one in use: memory stays linear in the seats).
const CACHED_ANCHORS: usize = 64;

/// The moved blocs split into the tilted group and the rest, and the group's
/// anchor laws, built when a node first needs them and kept across refinements.
pub(super) struct Tilt<'a> {
    pub group: Vec<&'a Bloc>,
    pub per_node: Vec<&'a Bloc>,
    sd: f64,
    reach: f64,
    spacing: f64,
    anchors: Vec<Option<Anchor>>,
}

/// An anchor's law of the group's yes count: the logarithms, relative to the
/// largest, of its entries from `first` on.
struct Anchor {
    first: usize,
    law: Vec<f64>,
    log: Vec<f64>,
}

/// Entries tilted by one call of `exp` and then by repeated multiplication by e^t
/// (a relative error of at most `BLOCK`·ε added).
const BLOCK: usize = 32;

/// Whether the members of `bloc` stay independent of each other given the swing
/// (so that its law is a tilt family).
pub(super) fn tilts(bloc: &Bloc) -> bool {
    let one_state = bloc.switch <= 0.0 || bloc.switch >= 1.0;
    one_state && (bloc.unnamed() <= 1 || concentration(bloc.cohesion).is_none())
}

impl<'a> Tilt<'a> {
    /// Splits `moved`; `enabled` false puts every bloc in the per-node list.
    /// More anchors than [`MAX_ANCHORS`] (a swing so wide that the reach is
    /// tiny) would cost about as much as the nodes, and past σ·8.5 = 700 an
    /// anchor's factor e^{σa} may overflow to a degenerate law that no tilt can
    /// undo: every bloc is then rebuilt per node.
    pub fn new(model: &Model, moved: &[&'a Bloc], enabled: bool) -> Self {
        let (mut group, mut per_node): (Vec<&Bloc>, Vec<&Bloc>) = moved.iter().partition(|b| enabled && tilts(b));
        let sd = model.scenario.swing_sd;
        let seats: u32 = group.iter().map(|b| b.seats).sum();
        let variance = yes_variance(model, &group);
        let wanted = (BEST_REACH / variance.sqrt()).min(MAX_REACH / f64::from(seats.max(1)).sqrt());
        let mut count = (sd * HALF_WIDTH / wanted).ceil().max(1.0);
        let tiltable = count <= MAX_ANCHORS as f64 && sd * HALF_WIDTH <= 700.0;
        if !tiltable {
            per_node.append(&mut group);
            count = 1.0;
        }
        let spacing = 2.0 * HALF_WIDTH / count;
        let reach = sd * spacing / 2.0;
        Tilt { group, per_node, sd, reach, spacing, anchors: (0..count as usize).map(|_| None).collect() }
    }

    /// The blocs tilted from anchors, and those rebuilt at every node.
    pub fn split(&self) -> (&[&'a Bloc], &[&'a Bloc]) {
        (&self.group, &self.per_node)
    }

    /// How many anchors serve the nodes.
    pub fn anchor_count(&self) -> usize {
        self.anchors.len()
    }

    /// The moved blocs' seats.
    pub fn seats(&self) -> usize {
        self.group.iter().chain(&self.per_node).map(|b| b.seats as usize).sum()
    }

    /// The group's law at swing draw `z`, tilted from its anchor, its tails trimmed.
    pub fn law_at(&mut self, model: &Model, z: f64) -> Span {
        if self.group.is_empty() {
            return Span::unit();
        }
        let j = (((z + HALF_WIDTH) / self.spacing).floor().max(0.0) as usize).min(self.anchors.len() - 1);
        let centre = -HALF_WIDTH + (j as f64 + 0.5) * self.spacing;
        if self.anchors[j].is_none() {
            if self.anchors.len() > CACHED_ANCHORS {
                self.anchors.iter_mut().for_each(|a| *a = None);
            }
            self.anchors[j] = Some(self.build(model, centre));
        }
        let anchor = self.anchors[j].as_ref().expect("just built");
        let mut p = anchor.tilted(self.sd * (z - centre));
        trim_tails(&mut p);
        Span::at(anchor.first, p)
    }

    fn build(&self, model: &Model, centre: f64) -> Anchor {
        let factor = Lift::at(self.sd, centre);
        let mut law = vec![1.0];
        for b in &self.group {
            let mut bloc = model.bloc_law(b, Some(factor)).yes;
            tilted_trim(&mut bloc, self.reach);
            law = convolve(&law, &bloc);
            tilted_trim(&mut law, self.reach);
        }
        Anchor::new(law)
    }
}

/// The variance of the group's yes count at z = 0 (sets the anchors' spacing).
fn yes_variance(model: &Model, group: &[&Bloc]) -> f64 {
    let law_variance = |law: &[f64]| {
        let mean: f64 = law.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
        law.iter().enumerate().map(|(k, p)| (k as f64 - mean).powi(2) * p).sum::<f64>()
    };
    let total: f64 = group.iter().map(|b| law_variance(&model.bloc_law(b, None).yes)).sum();
    total.max(1e-300)
}

impl Anchor {
    fn new(law: Vec<f64>) -> Self {
        let first = law.iter().position(|&p| p != 0.0).unwrap_or(0);
        let last = law.iter().rposition(|&p| p != 0.0).unwrap_or(0);
        let kept = law[first..=last].to_vec();
        let log = kept.iter().map(|p| p.ln()).collect();
        Anchor { first, law: kept, log }
    }

    /// The law reweighted by e^{t·k} and normalised, from entry `first` on:
    /// entry i times e^{t·i − top}, top the largest ln p_i + t·i, the factor
    /// computed by `exp` once per [`BLOCK`] entries where it stays within e^±700.
    fn tilted(&self, t: f64) -> Vec<f64> {
        let exponent = |i: usize| self.log[i] + t * i as f64;
        let top = (0..self.log.len()).map(exponent).fold(f64::NEG_INFINITY, f64::max);
        let step = t.exp();
        let mut out = Vec::with_capacity(self.law.len());
        for (b, chunk) in self.law.chunks(BLOCK).enumerate() {
            let start = t * (b * BLOCK) as f64 - top;
            let end = start + t * BLOCK as f64;
            if start.max(end) < 700.0 && start.min(end) > -700.0 {
                let mut factor = start.exp();
                for p in chunk {
                    out.push(p * factor);
                    factor *= step;
                }
            } else {
                out.extend((b * BLOCK..b * BLOCK + chunk.len()).map(|i| (exponent(i) - top).exp()));
            }
        }
        let total: f64 = out.iter().sum();
        out.iter_mut().for_each(|p| *p /= total);
        out
    }
}

/// Sets to zero the ends of `law` whose mass, under every tilt e^{tk} with
/// |t| ≤ `reach`, is at most [`TAIL`] (plain [`trim_tails`] when `reach` is 0).
fn tilted_trim(law: &mut [f64], reach: f64) {
    if reach == 0.0 {
        return trim_tails(law);
    }
    let (Some(first), Some(last)) = (law.iter().position(|&p| p != 0.0), law.iter().rposition(|&p| p != 0.0)) else {
        return;
    };
    let logs: Vec<f64> = law[first..=last].iter().map(|p| p.ln()).collect();
    let weights = |t: f64| {
        let top = logs.iter().enumerate().map(|(i, l)| l + t * i as f64).fold(f64::NEG_INFINITY, f64::max);
        let w: Vec<f64> = logs.iter().enumerate().map(|(i, l)| (l + t * i as f64 - top).exp()).collect();
        let total: f64 = w.iter().sum();
        (w, total)
    };
    let (up, up_total) = weights(reach);
    let mut mass = 0.0;
    for (p, w) in law[first..=last].iter_mut().zip(&up).rev() {
        mass += w;
        if mass > TAIL * up_total {
            break;
        }
        *p = 0.0;
    }
    let (down, down_total) = weights(-reach);
    mass = 0.0;
    for (p, w) in law[first..=last].iter_mut().zip(&down) {
        mass += w;
        if mass > TAIL * down_total {
            break;
        }
        *p = 0.0;
    }
}

/// Whether `scenario`'s exact solution tilts some of its moved blocs (for tests).
pub fn tilted_blocs(scenario: &Scenario) -> usize {
    let model = Model::new(scenario);
    let moved: Vec<&Bloc> = scenario.blocs.iter().filter(|b| crate::model::moves(scenario, b)).collect();
    Tilt::new(&model, &moved, !model.with_other).group.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::span::binomial;

    #[test]
    fn tilting_a_binomial_gives_the_binomial_with_the_odds_multiplied() {
        let anchor = Anchor::new(binomial(40, 0.3));
        let t: f64 = 0.7;
        let odds = 0.3 / 0.7 * t.exp();
        let expected = binomial(40, odds / (1.0 + odds));
        for (a, b) in anchor.tilted(t).iter().zip(&expected) {
            assert!((a - b).abs() <= 1e-14 * b.max(1e-300) + 1e-300, "{a} vs {b}");
        }
    }

    #[test]
    fn a_tilted_trim_keeps_what_the_extreme_tilts_need() {
        let mut plain = binomial(400, 0.5);
        let mut tilted = plain.clone();
        trim_tails(&mut plain);
        tilted_trim(&mut tilted, 0.3);
        let span = |l: &[f64]| l.iter().filter(|&&p| p != 0.0).count();
        assert!(span(&tilted) > span(&plain) + 50, "{} vs {}", span(&tilted), span(&plain));
        for t in [0.3, -0.3, 0.1] {
            let anchor = Anchor::new(tilted.clone());
            let mut up = vec![0.0; 401];
            up[anchor.first..anchor.first + anchor.log.len()].copy_from_slice(&anchor.tilted(t));
            let odds = t.exp();
            let truth = binomial(400, odds / (1.0 + odds));
            let lost: f64 = truth.iter().zip(&up).filter(|(_, u)| **u == 0.0).map(|(b, _)| b).sum();
            assert!(lost > 0.0 && lost <= 2.0 * TAIL, "t = {t}: lost {lost}");
            let tv: f64 = truth.iter().zip(&up).map(|(a, b)| (a - b).abs()).sum();
            assert!(tv < 1e-13, "t = {t}: {tv}");
        }
    }
}
