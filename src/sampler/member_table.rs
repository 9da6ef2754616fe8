//! Exact counts of named members under the chamber-wide swing, from z-binned
//! Poisson-binomial tables.
//!
//! Member i casts a counted yes with p_i(z), increasing in z. Within a bin
//! [z_lo, z_hi), each member's vote is a base coin and a rare extra coin:
//! - a member who usually does not vote yes (p_i < ½) has base Bernoulli(p_i(z_lo))
//!   and an extra coin, probability c_i = (p_i(z) − p_i(z_lo))/(1 − p_i(z_lo)),
//!   that forces a yes: P(yes) = 1 − (1 − p_i(z_lo))(1 − c_i) = p_i(z);
//! - a member who usually does (p_i ≥ ½) has base Bernoulli(p_i(z_hi)) and an extra
//!   coin, c_i = (p_i(z_hi) − p_i(z))/p_i(z_hi), that forces a no.
//!
//! When no extra coin fires, probability Π(1 − c_i) ≥ 1 − Σ c_i, the count is the
//! bases' Poisson-binomial sum, drawn from the bin's table. By the mean value
//! theorem, c_i grows at most linearly across the bin (dp/dz = σ p(1 − p)), so at
//! position t ∈ [0, 1) of bin j, Σ c_i ≤ t A_j + (1 − t) B_j (A_j from the members
//! below ½, B_j from those above); one uniform below 1 minus that settles the vote.
//! Otherwise Π(1 − c_i) is computed; if the uniform is above it, the first coin to
//! fire is found by inversion given that one did, and every later coin and every
//! base is drawn member by member. Bins are sized so that Σ c_i ≤ 0.01 where
//! [`MAX_BINS`] allows: more, smaller bins fall back less often but stop fitting
//! in cache, and 4096 measured fastest on `bench/members` (512 to 16384 tried).
//! Exact in law; the tables are [`Binned`]; outside |z| < 6 the caller draws each
//! member. A bin's base law is the low members' count at its lower edge plus the
//! high members' at its upper edge, each tilted from an anchor law ([`Tilted`]):
//! O(n) per bin rather than a recursion over all members (2,000 members: 2.4 s
//! of tables before).

use super::binned::{Binned, ZGrid, two_uniforms};
use super::rng::uniform;
use super::tilted::Tilted;
use crate::model::convolve;
use crate::model::swing_odds as swung;
use rand::Rng;
use rayon::prelude::*;

/// The most bins.
const MAX_BINS: usize = 4096;
/// The bound on Σ c_i that sets the bin width.
const SPREAD: f64 = 0.01;

/// Poisson-binomial tables of a bloc's named members.
#[derive(Debug, Clone)]
pub struct MemberTable {
    ys: Vec<f64>,
    /// Whether each member usually votes yes (base at the bin's upper edge).
    high: Vec<bool>,
    sd: f64,
    grid: ZGrid,
    /// (A_j, B_j) per bin: at position t ∈ [0, 1) of the bin, Σ c_i ≤ t A_j + (1 − t) B_j.
    slopes: Vec<(f64, f64)>,
    tables: Binned,
}

impl MemberTable {
    /// Tables for members with counted-yes probabilities `ys` (at least one, each
    /// in [0, 1]) before a swing of `sd` > 0 (finite); `None` otherwise.
    pub fn new(ys: &[f64], sd: f64) -> Option<MemberTable> {
        let valid = !ys.is_empty() && ys.iter().all(|y| (0.0..=1.0).contains(y)) && sd > 0.0 && sd.is_finite();
        valid.then(|| MemberTable::with_spread(ys, sd, SPREAD))
    }

    /// Tables whose bins keep Σ c_i below `spread` (tests use wide bins, so that
    /// the fallback runs often and the bin edges differ a lot).
    fn with_spread(ys: &[f64], sd: f64, spread: f64) -> MemberTable {
        // dp/dz = σ p (1 − p), so c_i ≈ σ·width·min(p_i, 1 − p_i) at most, over |z| < 6.
        let steepest: f64 = ys
            .iter()
            .map(|&y| {
                (0..=24)
                    .map(|s| swung(y, (sd * (s as f64 * 0.5 - 6.0)).exp()))
                    .map(|p| p.min(1.0 - p))
                    .fold(0.0, f64::max)
            })
            .sum();
        let grid = ZGrid::new(sd * steepest.max(1e-9), spread, MAX_BINS);
        let high = ys.iter().map(|&y| y >= 0.5).collect();
        let mut t = MemberTable { ys: ys.to_vec(), high, sd, grid, slopes: Vec::new(), tables: Binned::new() };
        let split = |high: bool| ys.iter().zip(&t.high).filter(|&(_, &h)| h == high).map(|(&y, _)| y).collect();
        let (low, high): (Vec<f64>, Vec<f64>) = (split(false), split(true));
        let tilted = rayon::join(|| Tilted::new(&low, sd, false), || Tilted::new(&high, sd, true));
        let bins: Vec<((f64, f64), Vec<f64>)> = (0..grid.bins()).into_par_iter().map(|j| t.bin(j, &tilted)).collect();
        for (slopes, law) in bins {
            t.slopes.push(slopes);
            t.tables.push(&law);
        }
        t
    }

    /// Bin j's squeeze slopes (A_j, B_j) and the law of its bases' count: the low
    /// members' yes count at the bin's lower edge plus the high members' at its
    /// upper edge, each by tilting ([`Tilted`]), convolved.
    fn bin(&self, j: usize, (low, high): &(Tilted, Tilted)) -> ((f64, f64), Vec<f64>) {
        let (z_lo, z_hi) = self.grid.edges(j);
        let (first_low, low) = low.law(z_lo);
        let (first_no, mut high_yes) = high.law(z_hi);
        // The high members' no count k is a yes count of (high members − k).
        let high_members = self.high.iter().filter(|&&h| h).count();
        let first_high = high_members - (first_no + high_yes.len() - 1);
        high_yes.reverse();
        let mut law = vec![0.0; first_low + first_high];
        law.extend(convolve(&low, &high_yes));
        ((self.slope(j, false), self.slope(j, true)), law)
    }

    /// A_j (`high` false) or B_j: Σ over those members of the width times the
    /// steepest dp/dz = σ p(1 − p) over the bin, over 1 − p_lo (or p_hi).
    fn slope(&self, j: usize, high: bool) -> f64 {
        let (z_lo, z_hi) = self.grid.edges(j);
        let (e_lo, e_hi) = self.edge_factors(j);
        let members = self.ys.iter().zip(&self.high).filter(|&(_, &h)| h == high);
        members
            .map(|(&y, _)| {
                let (lo, hi) = (swung(y, e_lo), swung(y, e_hi));
                let steepest = if lo <= 0.5 && hi >= 0.5 { 0.25 } else { (lo * (1.0 - lo)).max(hi * (1.0 - hi)) };
                let scale = if high { hi } else { 1.0 - lo };
                if scale > 0.0 { (z_hi - z_lo) * self.sd * steepest / scale } else { 0.0 }
            })
            .sum()
    }

    /// Member i's base probability in bin j and extra-coin probability at factor
    /// `e` (`None`: the largest over the bin, at the opposite edge).
    #[inline]
    fn coin(&self, i: usize, (e_lo, e_hi): (f64, f64), e: Option<f64>) -> (f64, f64) {
        let y = self.ys[i];
        if self.high[i] {
            let (hi, now) = (swung(y, e_hi), swung(y, e.unwrap_or(e_lo)));
            (hi, if hi > 0.0 { ((hi - now) / hi).max(0.0) } else { 0.0 })
        } else {
            let (lo, now) = (swung(y, e_lo), swung(y, e.unwrap_or(e_hi)));
            (lo, if lo < 1.0 { ((now - lo) / (1.0 - lo)).max(0.0) } else { 0.0 })
        }
    }

    /// The factors at bin j's edges.
    fn edge_factors(&self, j: usize) -> (f64, f64) {
        let (z_lo, z_hi) = self.grid.edges(j);
        ((self.sd * z_lo).exp(), (self.sd * z_hi).exp())
    }

    /// Every member's base and extra-coin probabilities (see [`Self::coin`]).
    fn coins(&self, j: usize, e: Option<f64>) -> (Vec<f64>, Vec<f64>) {
        let edges = self.edge_factors(j);
        (0..self.ys.len()).map(|i| self.coin(i, edges, e)).unzip()
    }

    /// The count for swing z (factor e), or `None` outside the bins (see
    /// [`CountTable`](super::table::CountTable)).
    #[inline]
    pub fn sample_at<R: Rng + ?Sized>(&self, rng: &mut R, z: f64, e: f64) -> Option<u32> {
        let (j, t) = self.grid.locate(z)?;
        let (u1, u2) = two_uniforms(rng.next_u64());
        let (a, b) = self.slopes[j];
        if u2 < 1.0 - (t * a + (1.0 - t) * b) {
            return Some(self.draw(j, u1));
        }
        Some(self.fallback(rng, j, e, u1, u2))
    }

    #[inline]
    fn draw(&self, j: usize, u: u32) -> u32 {
        self.tables.draw(j, u) as u32
    }

    /// The exact continuation once the squeeze did not decide.
    fn fallback<R: Rng + ?Sized>(&self, rng: &mut R, j: usize, e: f64, u1: u32, u2: f64) -> u32 {
        let edges = self.edge_factors(j);
        let none: f64 = (0..self.ys.len()).map(|i| 1.0 - self.coin(i, edges, Some(e)).1).product();
        if u2 < none {
            return self.draw(j, u1);
        }
        let (bases, extras) = self.coins(j, Some(e));
        // Some extra coin fired: the first by inversion given at least one, then the rest.
        let target = uniform(rng) * (1.0 - none);
        let (mut acc, mut before, mut first) = (0.0, 1.0, extras.len() - 1);
        for (i, &c) in extras.iter().enumerate() {
            acc += before * c;
            before *= 1.0 - c;
            if target < acc {
                first = i;
                break;
            }
        }
        let mut count = 0;
        for (i, (&c, &base)) in extras.iter().zip(&bases).enumerate() {
            let forced = i == first || (i > first && uniform(rng) < c);
            let yes = if forced { !self.high[i] } else { uniform(rng) < base };
            count += u32::from(yes);
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::binned::assert_counts_follow;
    use crate::sampler::tilted::poisson_binomial;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// At fixed z the counts follow the exact Poisson-binomial law, for members on
    /// both sides of ½, at a bin edge, and with a swing wide enough to use the
    /// fallback often.
    #[test]
    fn counts_at_a_fixed_swing_are_poisson_binomial() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let ys: Vec<f64> = (0..40).map(|i| 0.02 + 0.024 * i as f64).collect();
        for (sd, spread) in [(0.3, SPREAD), (2.0, SPREAD), (0.5, 0.4), (1.0, 3.0)] {
            let table = MemberTable::with_spread(&ys, sd, spread);
            for z in [-1.7, 0.0, table.grid.width() * 5.0, 0.9, table.grid.width() * 7.5] {
                let e = (sd * z).exp();
                let ps: Vec<f64> = ys.iter().map(|&y| swung(y, e)).collect();
                let law = poisson_binomial(&ps);
                let n = 200_000;
                let mut counts = vec![0u64; ys.len() + 1];
                for _ in 0..n {
                    counts[table.sample_at(&mut rng, z, e).unwrap() as usize] += 1;
                }
                assert_counts_follow(&counts, &law, &format!("sd={sd} z={z}"));
                let mean = counts.iter().enumerate().map(|(k, c)| k as f64 * *c as f64).sum::<f64>() / n as f64;
                let (m, v) = (ps.iter().sum::<f64>(), ps.iter().map(|p| p * (1.0 - p)).sum::<f64>());
                assert!((mean - m).abs() < 5.0 * (v / n as f64).sqrt(), "sd={sd} z={z}: mean {mean} vs {m}");
            }
        }
    }
}
