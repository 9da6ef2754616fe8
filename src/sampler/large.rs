//! Exact counts of a large bloc's unnamed members under the chamber-wide swing,
//! drawn at the vote's own swing in constant expected time, with no tables.
//!
//! The z-binned tables ([`super::swing_table`], [`super::cohesive_table`]) hold
//! every count with visible mass for each of hundreds of bins: for a bloc whose
//! count has a standard deviation of s, about 15·s entries per bin. From s ≈ 4
//! (a few hundred kilobytes per bloc) they stop fitting in cache, a vote then costs
//! a few cache misses per bloc, and building them costs O(k) per bin. A large
//! bloc instead draws its count from the exact law at the vote's own z:
//! - no cohesion: Binomial(k, p(z)) by Hörmann's BTRS ([`Btrs`]) on the rarer
//!   outcome when its mean is at least [`MIN_MEAN`](super::btrs::MIN_MEAN), else by inversion from 0
//!   (at most a few dozen steps);
//! - cohesion ρ: π ~ Beta(c·m(z), c·(1 − m(z))), c = (1 − ρ)/ρ, by normalised
//!   Gamma draws ([`dirichlet`], as the literal path draws it), then
//!   Binomial(k, π) as above: the Beta-binomial law by its definition.
//!
//! Both are exact in law (see [`super::btrs`] for the acceptance test's rounding,
//! about 1e-13 in a log ratio), cost O(1) expected whatever k is, and draw from
//! the bloc's own substream, so the batch stream is untouched. Unlike the tables,
//! a draw is not monotone in one uniform, so sweeps couple such blocs less
//! tightly (the literal path's binomial is not monotone there either).

use super::binomial::invert_binomial;
use super::btrs::Btrs;
use super::dirichlet::dirichlet;
use super::rng::uniform;
use crate::model::{Lift, concentration, swing_odds as swung};
use rand::Rng;

/// The variance of the count before the swing from which a bloc draws at its own
/// z rather than from tables (a standard deviation of 4 or more: tables of 60 or
/// more entries per bin, over 100 kB per bloc).
pub const LARGE_VARIANCE: f64 = 16.0;

/// Whether a bloc of `k` members voting a counted yes with probability `y` under
/// cohesion `rho` (0: none) is large: its count's variance before the swing,
/// k·y(1 − y)·(1 + (k − 1)ρ), is at least [`LARGE_VARIANCE`].
pub fn is_large(k: u32, y: f64, rho: f64) -> bool {
    let k = f64::from(k);
    k * y * (1.0 - y) * (1.0 + (k - 1.0) * rho) >= LARGE_VARIANCE
}

/// Binomial(`n`, `p`) exactly: BTRS on the rarer outcome where its mean is at
/// least [`MIN_MEAN`](super::btrs::MIN_MEAN), inversion from 0 otherwise.
#[inline]
pub fn binomial_count<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let (q, flip) = if p > 0.5 { (1.0 - p, true) } else { (p, false) };
    let rare = match Btrs::new(n, q) {
        Some(t) => t.sample(rng),
        None => invert_binomial(uniform(rng), n, q),
    };
    if flip { n - rare } else { rare }
}

/// A large bloc's counted yes votes without cohesion: Binomial(k, p(z)).
#[derive(Debug, Clone, Copy)]
pub struct LargeBinomial {
    k: u64,
    y: f64,
}

impl LargeBinomial {
    /// `k` ≥ 1 members with counted-yes probability `y` in (0, 1) before the swing;
    /// `None` otherwise.
    pub fn new(k: u32, y: f64) -> Option<LargeBinomial> {
        (k >= 1 && y > 0.0 && y < 1.0).then_some(LargeBinomial { k: u64::from(k), y })
    }

    /// Counted yes votes at the vote's lift of the log-odds (σz).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, lift: Lift) -> u32 {
        binomial_count(rng, self.k, swung(self.y, lift)) as u32
    }
}

/// A large cohesive bloc's counted yes votes: Beta-binomial(k, c·m(z), c·(1 − m(z))).
#[derive(Debug, Clone, Copy)]
pub struct LargeBetaBinomial {
    k: u64,
    y: f64,
    c: f64,
}

impl LargeBetaBinomial {
    /// `k` ≥ 1 members with counted-yes probability `y` in (0, 1) and cohesion
    /// `rho` with a finite concentration; `None` otherwise.
    pub fn new(k: u32, y: f64, rho: f64) -> Option<LargeBetaBinomial> {
        let c = concentration(rho).filter(|_| k >= 1 && y > 0.0 && y < 1.0 && rho < 1.0)?;
        Some(LargeBetaBinomial { k: u64::from(k), y, c })
    }

    /// Counted yes votes at the vote's lift of the log-odds (σz).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, lift: Lift) -> u32 {
        let m = swung(self.y, lift);
        let [pi, ..] = dirichlet(rng, &[m, 1.0 - m, 0.0], self.c);
        binomial_count(rng, self.k, pi) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bloc_counts;
    use crate::sampler::binned::assert_chi_square;
    use rand::SeedableRng;
    use rand_xoshiro::SplitMix64;

    /// At fixed swings (p above and below ½, rarer-outcome means below and above
    /// [`MIN_MEAN`]) the counts follow the exact binomial and Beta-binomial laws.
    #[test]
    fn counts_at_a_fixed_swing_follow_the_exact_laws() {
        let mut rng = SplitMix64::seed_from_u64(5);
        for (k, y, rho) in [(2_000u32, 0.988, 0.0), (600, 0.3, 0.0), (40, 0.9, 0.0), (900, 0.93, 0.3), (300, 0.2, 0.05)]
        {
            for e in [0.3f64, 1.0, 2.5].map(|e| Lift::new(e.ln())) {
                let m = swung(y, e);
                let law = bloc_counts(k, [m, 0.0, 1.0 - m], rho, false).yes_marginal();
                let mut counts = vec![0u64; k as usize + 1];
                let draw: Box<dyn Fn(&mut SplitMix64) -> u32> = match rho {
                    0.0 => Box::new(|r: &mut SplitMix64| LargeBinomial::new(k, y).unwrap().sample(r, e)),
                    _ => Box::new(|r: &mut SplitMix64| LargeBetaBinomial::new(k, y, rho).unwrap().sample(r, e)),
                };
                (0..200_000).for_each(|_| counts[draw(&mut rng) as usize] += 1);
                assert_chi_square(&counts, &law, &format!("k={k} y={y} rho={rho} lift={e:?}"));
            }
        }
    }

    #[test]
    fn certain_or_invalid_blocs_are_not_drawn_here() {
        assert!(LargeBinomial::new(0, 0.5).is_none() && LargeBinomial::new(10, 1.0).is_none());
        assert!(LargeBetaBinomial::new(10, 0.5, 0.0).is_none() && LargeBetaBinomial::new(10, 0.5, 1.0).is_none());
        assert!(is_large(100, 0.5, 0.0) && !is_large(1000, 0.01, 0.0) && is_large(1000, 0.01, 0.3));
    }
}
