//! Exact binomial counts under the chamber-wide swing, from tables.
//!
//! k exchangeable members each cast a counted yes with probability
//! p(z) = y e/(y e + 1 − y), e = exp(σ z), so the count is Binomial(k, p(z)) and
//! changes with every vote's z. We sample the *minority* count M (yes votes when
//! y < ½, the others otherwise), whose probability q(z) is monotone in z:
//!
//! 1. z falls in one of at most [`BINS`] equal bins of a [`ZGrid`]; for bin j
//!    a table holds Binomial(k, q_j), with q_j the largest q over the bin;
//! 2. M' is drawn from that table (one 32-bit uniform, inversion guided by the
//!    top bits of the uniform, [`Binned`]; all bins' tables sit in one
//!    contiguous array so a vote touches one or two cache lines);
//! 3. thinning: each of the M' is kept with probability r = q(z)/q_j, so the
//!    removed count D is Binomial(M', 1 − r) and M = M' − D is exactly
//!    Binomial(k, q(z)). D is drawn by inversion from a second 32-bit uniform u,
//!    with a squeeze: P(D = 0) = r^M' ≥ 1 − M'(1 − r), so when u is below that
//!    bound D = 0 without computing anything.
//!
//! Bins are narrow enough (σ·width ≤ 0.01) that the squeeze almost always
//! decides. A z outside the bins (probability 2e-9) uses plain inversion. The
//! tables hold about 15 standard deviations of counts per bin, so they serve
//! blocs whose count varies little; larger blocs draw at each vote's swing
//! without tables (`sampler::large`, chosen by `sampler::path`).

use super::binned::{Binned, ZGrid, two_uniforms};
use super::binomial::invert_binomial;
use crate::model::bloc_counts;
use crate::model::{Lift, swing_odds as swung};

/// The largest number of bins.
const BINS: usize = 2400;

/// Binomial(k, p(z)) counts from z-binned tables.
#[derive(Debug, Clone)]
pub struct SwingTable {
    k: u64,
    y: f64,
    /// Whether M counts yes votes (else the members not voting a counted yes).
    yes_minority: bool,
    grid: ZGrid,
    /// q_j per bin.
    q_hi: Vec<f64>,
    tables: Binned,
}

impl SwingTable {
    /// Tables for `k` ≥ 1 members with counted-yes probability `y` in (0, 1)
    /// before a swing of `sd` > 0 (finite); `None` otherwise (the count is then
    /// certain or does not move).
    pub fn new(k: u32, y: f64, sd: f64) -> Option<SwingTable> {
        (k >= 1 && y > 0.0 && y < 1.0 && sd > 0.0 && sd.is_finite()).then(|| SwingTable::build(k, y, sd))
    }

    fn build(k: u32, y: f64, sd: f64) -> SwingTable {
        let yes_minority = y < 0.5;
        let grid = ZGrid::new(sd, 0.01, BINS);
        let mut table =
            SwingTable { k: u64::from(k), y, yes_minority, grid, q_hi: Vec::new(), tables: Binned::median_searched() };
        for j in 0..grid.bins() {
            let (lo, hi) = grid.edges(j);
            // q rises with z when it counts yes votes, falls otherwise.
            let edge = if yes_minority { hi } else { lo };
            let q = table.minority(Lift::at(sd, edge));
            table.tables.push(&bloc_counts(k, [q, 0.0, 1.0 - q], 0.0, false).yes_marginal());
            table.q_hi.push(q);
        }
        table
    }

    /// The minority's probability at swing lift `e`.
    #[inline]
    fn minority(&self, e: Lift) -> f64 {
        let p = swung(self.y, e);
        if self.yes_minority { p } else { 1.0 - p }
    }

    /// Counted yes votes for swing z (lift e: σz and exp(σ z)) from one 64-bit uniform
    /// `r` (see [`CountTable`](super::table::CountTable)).
    #[inline]
    pub fn sample_at(&self, z: f64, e: Lift, r: u64) -> u32 {
        let q = self.minority(e);
        let (u1, u2) = two_uniforms(r);
        let m = if let Some(j) = self.grid.bin(z) {
            let drawn = self.tables.draw(j, u1) as u64;
            let keep = (q / self.q_hi[j]).min(1.0);
            if drawn == 0 || u2 < 1.0 - drawn as f64 * (1.0 - keep) {
                drawn
            } else {
                drawn - invert_binomial(u2, drawn, 1.0 - keep)
            }
        } else {
            invert_binomial(u2, self.k, q)
        };
        (if self.yes_minority { m } else { self.k - m }) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At fixed z (inside, on the edge of and outside the bins) the counts have the
    /// binomial mean and variance.
    #[test]
    fn counts_at_a_fixed_swing_are_binomial() {
        let mut state = 0x1234_5678_9abc_def0u64;
        for (k, y, sd) in [(84, 0.988, 0.2), (12, 0.3, 0.8), (5, 0.5, 0.25)] {
            let table = SwingTable::new(k, y, sd).unwrap();
            for z in [-7.0, -1.3, 0.0, table.grid.width() * 3.0, 2.2] {
                let e = Lift::at(sd, z);
                let p = y * e.factor() / (y * e.factor() + 1.0 - y);
                let n = 200_000;
                let draws: Vec<f64> = (0..n)
                    .map(|_| {
                        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                        let mut x = state;
                        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                        f64::from(table.sample_at(z, e, x ^ (x >> 31)))
                    })
                    .collect();
                let mean = draws.iter().sum::<f64>() / n as f64;
                let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64;
                let (m, v) = (k as f64 * p, k as f64 * p * (1.0 - p));
                assert!((mean - m).abs() < 5.0 * (v / n as f64).sqrt() + 1e-12, "k={k} y={y} z={z}: {mean} vs {m}");
                assert!((var - v).abs() < 0.05 * v + 1e-9, "k={k} y={y} z={z}: variance {var} vs {v}");
            }
        }
    }
}
