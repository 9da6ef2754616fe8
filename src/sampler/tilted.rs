//! The law of a set of named members' yes count at any swing, by exponential
//! tilting of a few anchor laws.
//!
//! The swing multiplies every member's odds by the same t = e^{σz}, so for
//! independent members P_z(K = k) = P_a(k)·t_a^k / M, t_a = e^{σ(z − z_a)}, for any
//! anchor z_a and normaliser M: Σ_{|S| = k} Π_{i∈S} o_i t = t^k Σ_{|S| = k} Π o_i.
//! (Certain members only shift the count; the shift's factor cancels in M.)
//! Each anchor's law is two Poisson-binomial recursions, one over the members
//! who usually do not vote yes (counting their yes votes) and one over those who
//! usually do (counting their no votes), so that each stops early (at its
//! mean plus 20 sd plus 40), convolved once. The law at any z is then O(n): ln P_a(k) +
//! k·σ(z − z_a), exponentiated relative to its largest term and normalised.
//!
//! **Error.** The recursions and the convolution add non-negative terms, so each
//! anchor entry has relative error O(n·ε), and tilting keeps relative errors.
//! Anchors lie 2/(σ·sd_max) apart in z (at most 0.5/σ), so a tilt moves the mean
//! by at most one standard deviation: the counts that matter at z are far inside
//! what the anchor holds (each recursion stops where terms are below 1e-80), and
//! terms below e^{-50} ≈ 2e-22 of the largest are dropped, which moves no table
//! entry (32-bit thresholds resolve 2.3e-10).

use super::binned::Z_MAX;
use crate::model::convolve;
use crate::model::{Lift, swing_odds as swung};
use rayon::prelude::*;

/// Tilts below this relative to the largest term are dropped (e^{-50} ≈ 2e-22).
const DROP: f64 = -50.0;

/// A set of members' yes-count law at any swing.
#[derive(Debug, Clone)]
pub struct Tilted {
    sd: f64,
    /// Distance between anchors in z.
    step: f64,
    /// Per anchor a (z = −Z_MAX + a·step): its first count and ln P_a(k) from there.
    anchors: Vec<(usize, Vec<f64>)>,
}

impl Tilted {
    /// The laws of members with counted-yes probabilities `ys` (before a swing of
    /// `sd` > 0); anchors are built in parallel (each on its own, so the same on
    /// any number of threads).
    pub fn new(ys: &[f64], sd: f64) -> Tilted {
        let probs = |z: f64| -> Vec<f64> { ys.iter().map(|&y| swung(y, Lift::at(sd, z))).collect() };
        let sd_max = (0..=24)
            .map(|s| probs(s as f64 * 0.5 - Z_MAX).iter().map(|p| p * (1.0 - p)).sum::<f64>().sqrt())
            .fold(0.0, f64::max);
        let step = (2.0 / (sd * sd_max.max(1.0))).min(0.5 / sd);
        let count = (2.0 * Z_MAX / step).ceil() as usize + 1;
        let high: Vec<bool> = ys.iter().map(|&y| y >= 0.5).collect();
        let anchors = (0..count)
            .into_par_iter()
            .map(|a| {
                let (first, law) = yes_law(&probs(-Z_MAX + a as f64 * step), &high);
                (first, law.iter().map(|p| p.ln()).collect())
            })
            .collect();
        Tilted { sd, step, anchors }
    }

    /// The law at swing z: its first count and its weights (summing to 1) from there.
    pub fn law(&self, z: f64) -> (usize, Vec<f64>) {
        let a = (((z + Z_MAX) / self.step).round().max(0.0) as usize).min(self.anchors.len() - 1);
        let s = self.sd * (z - (-Z_MAX + a as f64 * self.step));
        let (offset, anchor) = &self.anchors[a];
        let logs: Vec<f64> = anchor.iter().enumerate().map(|(k, l)| l + k as f64 * s).collect();
        let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let first = logs.iter().position(|&l| l - top > DROP).unwrap_or(0);
        let last = logs.iter().rposition(|&l| l - top > DROP).unwrap_or(first);
        let mut weights: Vec<f64> = logs[first..=last].iter().map(|l| (l - top).exp()).collect();
        let total: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|w| *w /= total);
        (offset + first, weights)
    }
}

/// The law of the yes count of members voting yes with probabilities `ps`: the
/// yes count of the members not `high` convolved with that of the `high` ones,
/// whose no count the recursion counts (so each stops early). Returns the first
/// count and the weights from there.
fn yes_law(ps: &[f64], high: &[bool]) -> (usize, Vec<f64>) {
    let pick = |h: bool| -> Vec<f64> {
        let chosen = ps.iter().zip(high).filter(|&(_, &hi)| hi == h);
        chosen.map(|(&p, _)| if h { 1.0 - p } else { p }).collect()
    };
    let (low, high) = (pick(false), pick(true));
    let low_yes = poisson_binomial(&low);
    let mut high_yes = poisson_binomial(&high);
    // The high members' no count b is a yes count of (high members − b).
    let first = high.len() + 1 - high_yes.len();
    high_yes.reverse();
    (first, convolve(&low_yes, &high_yes))
}

/// The law of the number of successes of independent coins with probabilities
/// `ps`, up to mean + 20 sd + 40 (the mass beyond is far below 1e-80).
pub fn poisson_binomial(ps: &[f64]) -> Vec<f64> {
    let mean: f64 = ps.iter().sum();
    let sd = ps.iter().map(|p| p * (1.0 - p)).sum::<f64>().sqrt();
    let top = ((mean + 20.0 * sd + 40.0) as usize).min(ps.len());
    let mut law = vec![0.0; top + 1];
    law[0] = 1.0;
    for (n, &p) in ps.iter().enumerate() {
        for k in (1..=(n + 1).min(top)).rev() {
            law[k] = law[k] * (1.0 - p) + law[k - 1] * p;
        }
        law[0] *= 1.0 - p;
    }
    law
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At any z (between anchors, at the grid's ends, for members on either side
    /// of ½ and certain ones) the tilted law is the recursion's law at z.
    #[test]
    fn tilted_laws_match_the_recursion_at_any_swing() {
        let ys: Vec<f64> = (0..60).map(|i| 0.01 + 0.0163 * i as f64).chain([0.0, 1.0]).collect();
        for sd in [0.3, 1.5] {
            let tilted = Tilted::new(&ys, sd);
            for z in [-5.9, -2.31, -0.07, 0.0, 0.4, 1.777, 5.99] {
                let e = Lift::at(sd, z);
                let ps: Vec<f64> = ys.iter().map(|&y| swung(y, e)).collect();
                let direct = poisson_binomial(&ps);
                let (first, law) = tilted.law(z);
                for (k, d) in direct.iter().enumerate() {
                    let got = k.checked_sub(first).and_then(|i| law.get(i)).copied().unwrap_or(0.0);
                    assert!((got - d).abs() <= 1e-12 * d + 1e-20, "sd={sd} z={z} k={k}: {got} vs {d}");
                }
            }
        }
    }
}
