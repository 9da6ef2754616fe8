//! Exact Beta-binomial counts under the chamber-wide swing, by rejection from
//! z-binned envelopes.
//!
//! With cohesion ρ (c = (1 − ρ)/ρ) and a rule that needs only counted yes votes,
//! the unnamed members' count given z is Beta-binomial(k, c·m, c·(1 − m)), where
//! m = m(z) is the swung counted-yes probability, increasing in z. Its log pmf is
//! concave in m: d/dm log f(y | m) = c[Σ_{j<y} 1/(cm + j) − Σ_{j<k−y} 1/(c − cm + j)]
//! decreases in m. So over a bin where m ∈ [m_lo, m_hi]:
//! - the minimum of f(y | ·) is at an end: L(y) = min(f(y | m_lo), f(y | m_hi));
//! - the maximum lies under both end tangents:
//!   U(y) = min(f(y | m_lo)·e^{max(0, d_lo)Δ}, f(y | m_hi)·e^{max(0, −d_hi)Δ}).
//!
//! A vote proposes y from U (inverse CDF, one 32-bit uniform) and accepts it when
//! a second uniform u has u < L(y)/U(y) (the squeeze, nearly always), or else
//! when u·U(y) ≤ f(y | m(z)) computed exactly; a rejection proposes again. This is
//! ordinary rejection sampling with a valid envelope, so the count is exact.
//! Bins are narrow (σ·width ≤ 0.01); outside them (|z| ≥ 6) the caller samples
//! directly. The proposal tables are [`Binned`].

use super::binned::{Binned, ZGrid, two_uniforms};
use crate::model::concentration;
use crate::model::{Lift, swing_odds as swung};
use rand::Rng;
use rayon::prelude::*;

/// The largest number of bins.
const BINS: usize = 2400;

/// Bins whose edges are computed together.
const CHUNK: usize = 64;

/// A bin edge: its mean, and the log pmf and its slope in the mean at every count.
type Edge = (f64, (Vec<f64>, Vec<f64>));

/// Beta-binomial counts of a cohesive bloc from z-binned envelopes.
#[derive(Debug, Clone)]
pub struct CohesiveTable {
    k: usize,
    c: f64,
    y: f64,
    grid: ZGrid,
    /// ln C(k, n) − Σ_{j<k} ln(c + j), for n = 0..=k.
    log_base: Vec<f64>,
    /// The proposal's tables; `squeeze` and `envelope` follow their entries.
    proposal: Binned,
    squeeze: Vec<f32>,
    envelope: Vec<f64>,
}

impl CohesiveTable {
    /// Tables for `k` ≥ 1 members with counted-yes probability `y` (0 < y < 1)
    /// before a swing of `sd` > 0 (finite), and cohesion `rho` (0 < ρ < 1, with a
    /// finite concentration: see [`concentration`]); `None` otherwise.
    pub fn new(k: u32, y: f64, rho: f64, sd: f64) -> Option<CohesiveTable> {
        let valid = k >= 1 && y > 0.0 && y < 1.0 && rho < 1.0 && concentration(rho).is_some();
        (valid && sd > 0.0 && sd.is_finite()).then(|| CohesiveTable::build(k, y, rho, sd))
    }

    fn build(k: u32, y: f64, rho: f64, sd: f64) -> CohesiveTable {
        let grid = ZGrid::new(sd, 0.01, BINS);
        let k = k as usize;
        let c = (1.0 - rho) / rho;
        let norm: f64 = (0..k).map(|j| (c + j as f64).ln()).sum();
        // ln C(k, n) = ln C(k, n − 1) + ln((k − n + 1)/n): O(k) logarithms.
        let log_base = (0..=k)
            .scan(0.0, |ln_choose, n| {
                if n > 0 {
                    *ln_choose += ((k - n + 1) as f64 / n as f64).ln();
                }
                Some(*ln_choose - norm)
            })
            .collect();
        let mut t = CohesiveTable {
            k,
            c,
            y,
            grid,
            log_base,
            proposal: Binned::median_searched(),
            squeeze: Vec::new(),
            envelope: Vec::new(),
        };
        // Each edge's log pmf serves the bins on both sides; edges are computed in
        // parallel, a chunk of bins at a time so that memory stays O(CHUNK·k).
        let edge = |i: usize| if i < grid.bins() { grid.edges(i).0 } else { grid.edges(i - 1).1 };
        for chunk in (0..grid.bins()).collect::<Vec<_>>().chunks(CHUNK) {
            let (first, last) = (chunk[0], chunk[chunk.len() - 1] + 1);
            let edges: Vec<Edge> = (first..=last)
                .into_par_iter()
                .map(|i| {
                    let m = t.mean(Lift::at(sd, edge(i)));
                    (m, t.log_pmf_and_slope(m))
                })
                .collect();
            for pair in edges.windows(2) {
                t.push_bin(&pair[0], &pair[1]);
            }
        }
        t
    }

    /// The swung counted-yes probability at lift `e`.
    #[inline]
    fn mean(&self, e: Lift) -> f64 {
        swung(self.y, e)
    }

    /// ln f(n | m) and its derivative in m, for every n, by running sums.
    fn log_pmf_and_slope(&self, m: f64) -> (Vec<f64>, Vec<f64>) {
        let (a, b) = (self.c * m, self.c * (1.0 - m));
        let mut up = vec![(0.0, 0.0); self.k + 1]; // Σ_{j<n} ln(a + j), Σ 1/(a + j)
        let mut down = vec![(0.0, 0.0); self.k + 1]; // the same for b
        for j in 0..self.k {
            up[j + 1] = (up[j].0 + (a + j as f64).ln(), up[j].1 + 1.0 / (a + j as f64));
            down[j + 1] = (down[j].0 + (b + j as f64).ln(), down[j].1 + 1.0 / (b + j as f64));
        }
        (0..=self.k)
            .map(|n| {
                let (u, d) = (up[n], down[self.k - n]);
                (self.log_base[n] + u.0 + d.0, self.c * (u.1 - d.1))
            })
            .unzip()
    }

    /// Appends the bin between two edges, each its mean and (log pmf, slope).
    fn push_bin(&mut self, (lo, (f_lo, d_lo)): &Edge, (hi, (f_hi, d_hi)): &Edge) {
        let delta = hi - lo;
        let upper: Vec<f64> = (0..=self.k)
            .map(|n| (f_lo[n] + d_lo[n].max(0.0) * delta).min(f_hi[n] + (-d_hi[n]).max(0.0) * delta).exp())
            .collect();
        for n in self.proposal.push(&upper) {
            let ratio = f_lo[n].min(f_hi[n]).exp() / upper[n];
            self.squeeze.push(round_down(ratio));
            self.envelope.push(upper[n]);
        }
    }

    /// The exact pmf at count `n` for mean `m`.
    fn pmf(&self, n: usize, m: f64) -> f64 {
        let (a, b) = (self.c * m, self.c * (1.0 - m));
        let ups: f64 = (0..n).map(|j| (a + j as f64).ln()).sum();
        let downs: f64 = (0..self.k - n).map(|j| (b + j as f64).ln()).sum();
        (self.log_base[n] + ups + downs).exp()
    }

    /// Counted yes votes for swing z (lift e), or `None` outside the bins (see
    /// [`CountTable`](super::table::CountTable)).
    #[inline]
    pub fn sample_at<R: Rng + ?Sized>(&self, rng: &mut R, z: f64, e: Lift) -> Option<u32> {
        let j = self.grid.bin(z)?;
        loop {
            let (u1, u2) = two_uniforms(rng.next_u64());
            let n = self.proposal.draw(j, u1);
            let i = self.proposal.entry(j, n);
            if u2 < f64::from(self.squeeze[i]) || u2 * self.envelope[i] <= self.pmf(n, self.mean(e)) {
                return Some(n as u32);
            }
        }
    }
}

/// An f32 no larger than `x` (x ≥ 0), so the squeeze never accepts too much.
fn round_down(x: f64) -> f32 {
    let r = x as f32;
    if f64::from(r) > x { f32::from_bits(r.to_bits().saturating_sub(1)) } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bloc_counts;
    use crate::sampler::binned::assert_counts_follow;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// At fixed z the counts follow the exact Beta-binomial law (checked by a
    /// chi-square-like bound on every count with visible mass).
    #[test]
    fn counts_at_a_fixed_swing_are_beta_binomial() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        for (k, y, rho, sd) in [(133, 0.003, 0.2, 0.2), (19, 0.35, 0.5, 0.2), (7, 0.98, 0.8, 0.6)] {
            let table = CohesiveTable::new(k, y, rho, sd).unwrap();
            for z in [-2.0, 0.0, 0.37, 3.1] {
                let e = Lift::at(sd, z);
                let m = table.mean(e);
                let law = bloc_counts(k, [m, 0.0, 1.0 - m], rho, false).yes_marginal();
                let n = 200_000;
                let mut counts = vec![0u64; k as usize + 1];
                for _ in 0..n {
                    counts[table.sample_at(&mut rng, z, e).unwrap() as usize] += 1;
                }
                assert_counts_follow(&counts, &law, &format!("k={k} z={z}"));
            }
        }
    }

    #[test]
    fn outside_the_bins_it_defers_to_the_caller() {
        let table = CohesiveTable::new(5, 0.5, 0.5, 0.3).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(table.sample_at(&mut rng, 7.0, Lift::at(0.3, 7.0)), None);
    }

    /// ρ = 0 once divided by zero; no cohesion, a certain count or no swing is no table.
    #[test]
    fn a_table_that_cannot_be_right_cannot_be_built() {
        for (k, y, rho, sd) in [
            (5, 0.5, 0.0, 0.3),
            (5, 0.5, 1.0, 0.3),
            (5, 1.0, 0.5, 0.3),
            (5, 0.0, 0.5, 0.3),
            (0, 0.5, 0.5, 0.3),
            (5, 0.5, 0.5, 0.0),
            (5, 0.5, 1e-320, 0.3),
        ] {
            assert!(CohesiveTable::new(k, y, rho, sd).is_none(), "k={k} y={y} rho={rho} sd={sd}");
        }
    }
}
