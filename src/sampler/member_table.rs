//! Exact counts of named members under the chamber-wide swing, from z-binned
//! tables of the laws every swing in a bin shares.
//!
//! Member i casts a counted yes with p_i(z), whose odds the swing multiplies by
//! t = e^{σz}. So the members' yes count K has, at any z in bin [z_lo, z_hi),
//! P_z(k) = P_lo(k)·e^{ks}/M(s), s = σ(z − z_lo) ∈ [0, σ·width), M the normaliser
//! ([`Tilted`]). ln P_z(k) = ln P_lo(k) + ks − ln M(s) is concave in s (ln M is a
//! cumulant generating function, convex), so over the bin it is smallest at an
//! edge: P_z(k) ≥ m(k) = min(P_lo(k), P_hi(k)) for every k and every z in the bin.
//! That is the exact per-bin bound for the whole member set at once. With
//! α = Σ_k m(k) (one minus the total variation between the edge laws), the law at
//! z is the mixture α·(m/α) + (1 − α)·R_z, R_z = (P_z − m)/(1 − α) ≥ 0:
//! - with probability α (one uniform below α) the count is drawn from the bin's
//!   table of m/α, the same for every z in the bin;
//! - otherwise it is drawn from R_z, computed from the bin's lower edge law
//!   tilted to z, by inversion: O(support), about a microsecond at 2,000 members.
//!
//! 1 − α is about 0.4·σ·width·sd(K) (the total variation between two normal laws
//! whose means differ by σ·width·Var K), so bins are sized for 1 − α ≤ [`FALLBACK`]
//! where [`MAX_BINS`] allows; then ≈ 1 − α of votes compute R_z, where the
//! per-member bound this replaces (each member's extra coin, Σ c_i ≈ σ·width·Var K)
//! fell back sd(K) times as often. Bins are never so wide that σ·width·sd(K) > 1,
//! so a tilt across one moves the law by at most one sd of the ±10 sd that the
//! edge laws keep. Exact in law up to the tables' 32-bit thresholds and the edge
//! laws' tails beyond e^{-50} of their largest term ([`Tilted`]); the tables are
//! [`Celled`] (one memory read per draw); outside |z| < 6 the caller draws each member. Building costs one tilt per bin edge,
//! O(n) each, and a few anchor laws ([`Tilted`]): milliseconds at 2,000 members.

use super::binned::{NEGLIGIBLE, Z_MAX, ZGrid};
use super::celled::Celled;
use super::rng::uniform;
use super::tilted::Tilted;
use crate::model::{Lift, swing_odds as swung};
use rand::Rng;
use rayon::prelude::*;

/// The most bins.
const MAX_BINS: usize = 4096;
/// The share of votes that compute R_z that sets the bin width (where [`MAX_BINS`]
/// allows). Smaller shares need more bins, whose tables stop fitting in cache:
/// 0.015 measured about 1.6× faster than 0.002 with 2,000 named members and
/// 1.4× with 341 (`bench/members`), and no slower than 0.006 or 0.04.
const FALLBACK: f64 = 0.015;

/// The law of the members' count at one bin edge.
#[derive(Debug, Clone, Copy)]
struct Edge {
    /// Its first count.
    first: usize,
    /// Its weights are `laws[start..end]`.
    start: usize,
    end: usize,
}

/// Z-binned tables of a bloc's named members' yes count.
#[derive(Debug, Clone)]
pub struct MemberTable {
    sd: f64,
    grid: ZGrid,
    /// Per bin, how a vote's uniform u2 = (x + ½)/2^32 (x the top 32 bits of its
    /// word) is tested against α, the probability that the bin's table decides:
    /// u2 < α exactly when x < ⌈α·2^32 − ½⌉, this.
    take: Vec<u64>,
    /// The counts [first, end) each bin's table holds: m is 0 outside them.
    kept: Vec<(usize, usize)>,
    /// The law at each bin edge (bins + 1 of them), for R_z.
    edges: Vec<Edge>,
    laws: Vec<f64>,
    tables: Celled,
}

impl MemberTable {
    /// Tables for members with counted-yes probabilities `ys` (at least one, each
    /// in [0, 1]) before a swing of `sd` > 0 (finite); `None` otherwise.
    pub fn new(ys: &[f64], sd: f64) -> Option<MemberTable> {
        let valid = !ys.is_empty() && ys.iter().all(|y| (0.0..=1.0).contains(y)) && sd > 0.0 && sd.is_finite();
        valid.then(|| MemberTable::with_fallback(ys, sd, FALLBACK))
    }

    /// Tables whose bins keep 1 − α near `fallback` (tests use wide bins, so that
    /// R_z is drawn often and the edge laws differ a lot).
    fn with_fallback(ys: &[f64], sd: f64, fallback: f64) -> MemberTable {
        let sd_count = (0..=24)
            .map(|s| {
                let e = Lift::at(sd, s as f64 * 0.5 - 6.0);
                ys.iter().map(|&y| swung(y, e)).map(|p| p * (1.0 - p)).sum::<f64>().sqrt()
            })
            .fold(0.0, f64::max);
        // σ·width·sd(K) ≤ 1 always: tilting across a bin then moves the law by at
        // most one sd, far inside the edge law's kept counts (±10 sd).
        let rate = sd * sd_count.max(1e-9);
        let grid = ZGrid::new(0.4 * rate, fallback.min(0.4), MAX_BINS.max((2.0 * Z_MAX * rate).ceil() as usize));
        let tilted = Tilted::new(ys, sd);
        let edge = |i: usize| if i < grid.bins() { grid.edges(i).0 } else { grid.edges(i - 1).1 };
        let laws: Vec<(usize, Vec<f64>)> = (0..=grid.bins()).into_par_iter().map(|i| tilted.law(edge(i))).collect();
        let mut t = MemberTable {
            sd,
            grid,
            take: Vec::new(),
            kept: Vec::new(),
            edges: Vec::new(),
            laws: Vec::new(),
            tables: Celled::new(std::iter::empty()),
        };
        let overlaps: Vec<(usize, Vec<f64>)> = laws.par_windows(2).map(|w| overlap(&w[0], &w[1])).collect();
        let mut tables = Vec::new();
        for (first, m) in &overlaps {
            // The table drops m's tails below NEGLIGIBLE; R_z takes them.
            let (start, end) = central(m, NEGLIGIBLE);
            let alpha: f64 = m[start..end].iter().sum();
            t.take.push((alpha * 4_294_967_296.0 - 0.5).ceil().max(0.0) as u64);
            t.kept.push((first + start, first + end));
            tables.push((first + start, &m[start..end]));
        }
        t.tables = Celled::new(tables.into_iter());
        for (first, law) in laws {
            t.edges.push(Edge { first, start: t.laws.len(), end: t.laws.len() + law.len() });
            t.laws.extend(law);
        }
        t
    }

    /// The count for swing z, or `None` outside the bins (see
    /// [`CountTable`](super::table::CountTable)).
    #[inline]
    pub fn sample_at<R: Rng + ?Sized>(&self, rng: &mut R, z: f64) -> Option<u32> {
        let j = self.grid.bin(z)?;
        let r = rng.next_u64();
        if r >> 32 < self.take[j] {
            return Some(self.tables.draw(j, r as u32));
        }
        Some(self.residual(rng, j, z))
    }

    /// A draw from R_z ∝ P_z − m in bin j: P_z is the lower edge's law tilted by
    /// e^{ks}, normalised; m the smaller of the two edge laws.
    #[cold]
    fn residual<R: Rng + ?Sized>(&self, rng: &mut R, j: usize, z: f64) -> u32 {
        let (lo, hi) = (self.edges[j], self.edges[j + 1]);
        let low = &self.laws[lo.start..lo.end];
        let high = |k: usize| k.checked_sub(hi.first).and_then(|i| self.laws[hi.start..hi.end].get(i)).copied();
        let (kept_first, kept_end) = self.kept[j];
        let base = move |k: usize, p_lo: f64| {
            if (kept_first..kept_end).contains(&k) { p_lo.min(high(k).unwrap_or(0.0)) } else { 0.0 }
        };
        let s = self.sd * (z - self.grid.edges(j).0);
        let r = s.exp();
        // Tilted relative to the middle count, so that no factor overflows.
        let middle = (-(low.len() as f64) / 2.0 * s).exp();
        let tilts = || low.iter().scan(middle, move |t, p| Some(p * std::mem::replace(t, *t * r)));
        let norm: f64 = tilts().sum();
        let rest = move |(i, pz): (usize, f64)| (pz / norm - base(lo.first + i, low[i])).max(0.0);
        let total: f64 = tilts().enumerate().map(rest).sum();
        let target = uniform(rng) * total;
        let mut acc = 0.0;
        let mut last = 0;
        for (i, w) in tilts().enumerate().map(rest).enumerate() {
            acc += w;
            if w > 0.0 {
                last = i;
                if target < acc {
                    break;
                }
            }
        }
        (lo.first + last) as u32
    }
}

/// The range of `m` from its first to its last weight of at least `trim` (at least one weight).
fn central(m: &[f64], trim: f64) -> (usize, usize) {
    let start = m.iter().position(|&w| w >= trim).unwrap_or(0);
    let end = m.iter().rposition(|&w| w >= trim).map_or(start + 1, |i| i + 1);
    (start, end)
}

/// m = min(P_lo, P_hi) over the counts both laws hold: its first count and weights.
/// (At least one weight, 0 when the laws share no count.)
fn overlap((a_first, a): &(usize, Vec<f64>), (b_first, b): &(usize, Vec<f64>)) -> (usize, Vec<f64>) {
    let first = (*a_first).max(*b_first);
    let end = (a_first + a.len()).min(b_first + b.len()).max(first + 1);
    let at = |law: &[f64], from: usize, k: usize| k.checked_sub(from).and_then(|i| law.get(i)).copied();
    let m = (first..end).map(|k| at(a, *a_first, k).zip(at(b, *b_first, k)).map_or(0.0, |(x, y)| x.min(y))).collect();
    (first, m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::binned::assert_counts_follow;
    use crate::sampler::tilted::poisson_binomial;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// At fixed z the counts follow the exact Poisson-binomial law, for members on
    /// both sides of ½, certain members, at a bin edge, and with bins wide enough
    /// that R_z is drawn often (the widest allowed: about 40% of votes).
    #[test]
    fn counts_at_a_fixed_swing_are_poisson_binomial() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let ys: Vec<f64> = (0..40).map(|i| 0.02 + 0.024 * i as f64).chain([0.0, 1.0]).collect();
        for (sd, fallback) in [(0.3, FALLBACK), (2.0, FALLBACK), (0.5, 0.1), (1.0, 0.4)] {
            let table = MemberTable::with_fallback(&ys, sd, fallback);
            for z in [-1.7, 0.0, table.grid.edges(5).0, 0.9, table.grid.edges(7).0 + 1e-9] {
                let ps: Vec<f64> = ys.iter().map(|&y| swung(y, Lift::at(sd, z))).collect();
                let law = poisson_binomial(&ps);
                let n = 200_000;
                let mut counts = vec![0u64; ys.len() + 1];
                for _ in 0..n {
                    counts[table.sample_at(&mut rng, z).unwrap() as usize] += 1;
                }
                assert_counts_follow(&counts, &law, &format!("sd={sd} z={z}"));
                let mean = counts.iter().enumerate().map(|(k, c)| k as f64 * *c as f64).sum::<f64>() / n as f64;
                let (m, v) = (ps.iter().sum::<f64>(), ps.iter().map(|p| p * (1.0 - p)).sum::<f64>());
                assert!((mean - m).abs() < 5.0 * (v / n as f64).sqrt(), "sd={sd} z={z}: mean {mean} vs {m}");
            }
        }
    }

    /// The bound is P_z ≥ min(P_lo, P_hi) at every count: R_z's weights, before
    /// clamping, are never below rounding, anywhere in a wide bin.
    #[test]
    fn the_law_inside_a_bin_is_never_below_its_edges_smaller_law() {
        let ys: Vec<f64> = (0..30).map(|i| 0.05 + 0.03 * i as f64).collect();
        let tilted = Tilted::new(&ys, 1.0);
        let (lo, hi) = (tilted.law(0.2), tilted.law(1.4));
        let (first, m) = overlap(&lo, &hi);
        for z in [0.2f64, 0.5, 0.8, 1.1, 1.4] {
            let ps: Vec<f64> = ys.iter().map(|&y| swung(y, Lift::new(z))).collect();
            let law = poisson_binomial(&ps);
            for (i, w) in m.iter().enumerate() {
                assert!(law[first + i] >= w * (1.0 - 1e-12), "z={z} k={}: {} < {w}", first + i, law[first + i]);
            }
        }
    }

    /// With 341 named members (like bench/members) or 2,000, every bin's table
    /// decides all but about [`FALLBACK`] of its votes (the per-member bound this
    /// replaced fell back in up to σ·width·Var K of them: sd(K) times as often).
    #[test]
    fn every_bin_falls_back_in_about_the_planned_share_of_votes() {
        let ys = |n: usize| (0..n).map(|i| 0.01 + 0.98 * ((i * 7919) % n) as f64 / n as f64).collect::<Vec<_>>();
        for n in [341, 2000] {
            let table = MemberTable::new(&ys(n), 0.3).unwrap();
            let worst = table.take.iter().map(|&a| 1.0 - a as f64 / 4_294_967_296.0).fold(0.0, f64::max);
            assert!((0.5 * FALLBACK..=1.1 * FALLBACK).contains(&worst), "{n} members: {worst}");
        }
    }
}
