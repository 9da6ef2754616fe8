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
//! - otherwise the bin's fine bin holding z decides (the bin cut into up to
//!   [`FINE_PER_BIN`] equal parts): its edges' smaller law m_f is ≥ m (both
//!   are bounds on P_z there), so with probability β/(1 − α) the count comes from
//!   its table of d = m_f − m (β = Σ d), and otherwise from
//!   R_z = (P_z − m − d)/(1 − α − β), computed from the fine bin's lower edge law
//!   tilted to z, by inversion: O(support), about a microsecond at 2,000 members.
//!
//! 1 − α is about 0.4·σ·width·sd(K) (the total variation between two normal laws
//! whose means differ by σ·width·Var K), so bins are sized for 1 − α ≤ [`FALLBACK`]
//! where [`MAX_BINS`] allows, and 1 − α − β is about 1/(fine bins per bin) of
//! that: few votes compute R_z, where the per-member bound this replaces (each
//! member's extra coin, Σ c_i ≈ σ·width·Var K) fell back sd(K) times as often
//! as the bins' tables alone. The bins' tables, which every vote reads, stay
//! small; the fine bins' are read by the few votes that the bins' leave.
//! Bins are never so wide that σ·width·sd(K) > 1,
//! so a tilt across one moves the law by at most one sd of the ±10 sd that the
//! edge laws keep. Exact in law up to the tables' 32-bit thresholds and the edge
//! laws' tails beyond e^{-50} of their largest term ([`Tilted`]); the tables are
//! [`Celled`] (one memory read per draw); outside |z| < 6 the caller draws each
//! member. Building costs one tilt per fine bin edge, O(n) each, and a few anchor
//! laws ([`Tilted`]): milliseconds at 2,000 members.

use super::binned::{NEGLIGIBLE, Z_MAX, ZGrid};
use super::celled::Celled;
use super::inverse::kept;
use super::rng::uniform;
use super::tilted::Tilted;
use crate::model::{Lift, swing_odds as swung};
use rand::Rng;
use rayon::prelude::*;

/// The most bins.
const MAX_BINS: usize = 4096;
/// The share of votes that the bins' tables leave to the fine bins' (where
/// [`MAX_BINS`] allows); it sets the bins' width. Fewer bins keep the tables
/// that every vote reads in the fastest cache.
const FALLBACK: f64 = 0.03;
/// Fine bins per bin, at most: each has a table of what P_z exceeds the bin's
/// table by in all of it, so about FALLBACK / this share of votes compute R_z.
const FINE_PER_BIN: usize = 8;
/// The most weights the fine bins' laws may hold (about 8 MB with their
/// tables; read only by the votes that the bins' tables leave). Where fewer than
/// [`FINE_LEAST`] fine bins per bin fit (thousands of named members), there are
/// none, and the bins are sized for FALLBACK / 2 instead.
const FINE_WEIGHTS: f64 = 1_048_576.0;
/// The fewest fine bins per bin worth their building.
const FINE_LEAST: usize = 4;

/// Z-binned tables of a bloc's named members' yes count.
#[derive(Debug, Clone)]
pub struct MemberTable {
    sd: f64,
    grid: ZGrid,
    /// Per bin, how a vote's uniform u2 = (x + ½)/2^32 (x the top 32 bits of its
    /// word) is tested against α, the probability that the bin's table decides:
    /// u2 < α exactly when x < ⌈α·2^32 − ½⌉, this.
    take: Vec<u64>,
    tables: Celled,
    /// Fine bins per bin.
    per: usize,
    /// Per fine bin, the same test against β/(1 − α), β the mass of its table.
    fine_take: Vec<u64>,
    fine: Celled,
    /// For R_z, which only the votes that both tables leave compute: each fine
    /// bin edge's law (P_z is its lower edge's tilted to z), and the weights of
    /// each bin's table and each fine bin's, whose sum b R_z leaves out. (Kept
    /// as built, not copied into one block: no second copy of the largest part.)
    edges: Vec<Law>,
    bin_laws: Vec<Law>,
    fine_laws: Vec<Law>,
}

/// A law's weights from its first count.
type Law = (usize, Vec<f64>);

impl MemberTable {
    /// Tables for members with counted-yes probabilities `ys` (at least one, each
    /// in [0, 1]) before a swing of `sd` > 0 (finite); `None` otherwise.
    pub fn new(ys: &[f64], sd: f64) -> Option<MemberTable> {
        let valid = !ys.is_empty() && ys.iter().all(|y| (0.0..=1.0).contains(y)) && sd > 0.0 && sd.is_finite();
        valid.then(|| MemberTable::with_fallback(ys, sd, FALLBACK, FINE_PER_BIN))
    }

    /// Tables whose bins keep 1 − α near `fallback`, with at most `per` fine
    /// bins per bin (tests use wide bins and one fine bin per bin, so that R_z is
    /// drawn often and the edge laws differ a lot).
    fn with_fallback(ys: &[f64], sd: f64, fallback: f64, per: usize) -> MemberTable {
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
        // The edge laws hold about ±10 sd(K) counts.
        let affordable = (FINE_WEIGHTS / (grid.bins() as f64 * (20.0 * sd_count + 1.0))) as usize;
        if affordable < FINE_LEAST && per > 1 {
            return MemberTable::with_fallback(ys, sd, fallback / 2.0, 1);
        }
        let per = affordable.clamp(1, per);
        let tilted = Tilted::new(ys, sd);
        let fine_edge = |i: usize| fine_edge(&grid, per, i);
        let laws: Vec<Law> = (0..=grid.bins() * per).into_par_iter().map(|i| tilted.law(fine_edge(i))).collect();
        // A bin's table: m = min over its edges, less its negligible tails.
        let bins: Vec<Law> =
            (0..grid.bins()).into_par_iter().map(|j| trimmed(overlap(&laws[j * per], &laws[(j + 1) * per]))).collect();
        // A fine bin's: what min over its edges exceeds its bin's table by.
        let fine: Vec<Law> = (0..grid.bins() * per)
            .into_par_iter()
            .map(|f| trimmed(less(&overlap(&laws[f], &laws[f + 1]), &bins[f / per])))
            .collect();
        let mass = |law: &Law| law.1.iter().sum::<f64>();
        let fine_take = fine.iter().enumerate().map(|(f, extra)| take(mass(extra) / (1.0 - mass(&bins[f / per]))));
        MemberTable {
            sd,
            grid,
            take: bins.iter().map(|bin| take(mass(bin))).collect(),
            tables: Celled::new(bins.iter().map(|(first, m)| (*first, m.as_slice()))),
            per,
            fine_take: fine_take.collect(),
            fine: Celled::new(fine.iter().map(|(first, m)| (*first, m.as_slice()))),
            edges: laws,
            bin_laws: bins,
            fine_laws: fine,
        }
    }

    /// The count for swing z, or `None` outside the bins (see
    /// [`CountTable`](super::table::CountTable)).
    #[inline(always)]
    pub fn sample_at<R: Rng + ?Sized>(&self, rng: &mut R, z: f64) -> Option<u32> {
        let j = self.grid.bin(z)?;
        let r = rng.next_u64();
        if r >> 32 < self.take[j] {
            return Some(self.tables.draw(j, r as u32));
        }
        Some(self.fine_or_residual(rng, j, z))
    }

    /// The count when bin j's table leaves the vote: from the table of the fine
    /// bin f that holds z, or else from R_z.
    #[cold]
    fn fine_or_residual<R: Rng + ?Sized>(&self, rng: &mut R, j: usize, z: f64) -> u32 {
        let within = self.grid.within(j, z);
        let f = j * self.per + ((within * self.per as f64) as usize).min(self.per - 1);
        let r = rng.next_u64();
        if r >> 32 < self.fine_take[f] {
            return self.fine.draw(f, r as u32);
        }
        self.residual(rng, f, z)
    }

    /// A draw from R_z ∝ P_z − b in fine bin f: P_z is its lower edge's law
    /// tilted by e^{ks}, normalised; b what the tables hold. One pass writes the
    /// tilted weights, one the residual's, one finds the draw; the sums run in
    /// four lanes, so no pass waits on one long chain of additions.
    fn residual<R: Rng + ?Sized>(&self, rng: &mut R, f: usize, z: f64) -> u32 {
        let (first, low) = &self.edges[f];
        let s = self.sd * (z - fine_edge(&self.grid, self.per, f));
        let mut w = tilted(low, s);
        let norm = lanes_sum(&w);
        w.iter_mut().for_each(|p| *p /= norm);
        let (base_first, b) = sum(&self.bin_laws[f / self.per], &self.fine_laws[f]);
        for (k, b) in (base_first..).zip(&b) {
            if let Some(p) = k.checked_sub(*first).and_then(|i| w.get_mut(i)) {
                *p -= b;
            }
        }
        w.iter_mut().for_each(|p| *p = p.max(0.0));
        let target = uniform(rng) * lanes_sum(&w);
        (first + find(&w, target)) as u32
    }
}

/// Edge i of the fine bins, `per` to each bin of `grid` (bins·per + 1 edges; every
/// per-th is a bin's edge).
fn fine_edge(grid: &ZGrid, per: usize, i: usize) -> f64 {
    let (j, sub) = (i / per, i % per);
    if j == grid.bins() {
        return grid.edges(j - 1).1;
    }
    let (lo, hi) = grid.edges(j);
    lo + (hi - lo) * sub as f64 / per as f64
}

/// u2 < p as a test of x (see `take` in [`MemberTable`]).
fn take(p: f64) -> u64 {
    (p.min(2.0) * 4_294_967_296.0 - 0.5).ceil().max(0.0) as u64
}

/// The law's weights from its first to its last of at least [`NEGLIGIBLE`]
/// (those the tables keep; R_z takes the tails), or one zero weight.
fn trimmed((first, m): Law) -> Law {
    let keep = kept(&m, NEGLIGIBLE);
    (first + keep.start(), m[keep].to_vec())
}

/// max(a − b, 0) over a's counts.
fn less((a_first, a): &Law, (b_first, b): &Law) -> Law {
    let at = |k: usize| k.checked_sub(*b_first).and_then(|i| b.get(i)).copied().unwrap_or(0.0);
    (*a_first, a.iter().enumerate().map(|(i, w)| (w - at(a_first + i)).max(0.0)).collect())
}

/// a + b over the counts of either.
fn sum((a_first, a): &Law, (b_first, b): &Law) -> Law {
    let first = (*a_first).min(*b_first);
    let end = (a_first + a.len()).max(b_first + b.len());
    let at = |law: &[f64], from: usize, k: usize| k.checked_sub(from).and_then(|i| law.get(i)).copied().unwrap_or(0.0);
    (first, (first..end).map(|k| at(a, *a_first, k) + at(b, *b_first, k)).collect())
}

/// The weights `law`(k)·e^{(k − n/2)·s} for the n counts of `law` (relative to
/// the middle count, so that no factor overflows), in four interleaved chains
/// of products.
fn tilted(law: &[f64], s: f64) -> Vec<f64> {
    let step = s.exp();
    let middle = (-(law.len() as f64) / 2.0 * s).exp();
    let mut t = [middle, middle * step, middle * step * step, middle * step * step * step];
    let step4 = (4.0 * s).exp();
    let mut w = Vec::with_capacity(law.len());
    for chunk in law.chunks(4) {
        w.extend(chunk.iter().zip(&t).map(|(p, t)| p * t));
        t = t.map(|t| t * step4);
    }
    w
}

/// The sum of `w` in four lanes.
fn lanes_sum(w: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let mut chunks = w.chunks_exact(4);
    for c in &mut chunks {
        (0..4).for_each(|l| lanes[l] += c[l]);
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + chunks.remainder().iter().sum::<f64>()
}

/// The first index whose running sum of `w` (non-negative) exceeds `target`,
/// or the last with positive weight: a block of four at a time.
fn find(w: &[f64], target: f64) -> usize {
    let mut acc = 0.0;
    let mut last = 0;
    for (b, c) in w.chunks(4).enumerate() {
        let block: f64 = (c[0] + c.get(1).unwrap_or(&0.0)) + (c.get(2).unwrap_or(&0.0) + c.get(3).unwrap_or(&0.0));
        if acc + block <= target {
            acc += block;
            last = c.iter().rposition(|&x| x > 0.0).map_or(last, |i| 4 * b + i);
            continue;
        }
        for (i, &x) in c.iter().enumerate() {
            acc += x;
            if x > 0.0 {
                last = 4 * b + i;
                if target < acc {
                    return last;
                }
            }
        }
    }
    last
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
        let cases =
            [(0.3, FALLBACK, FINE_PER_BIN), (2.0, FALLBACK, FINE_PER_BIN), (0.5, 0.1, 1), (1.0, 0.4, 1), (1.0, 0.4, 8)];
        for (sd, fallback, per) in cases {
            let table = MemberTable::with_fallback(&ys, sd, fallback, per);
            for z in [-1.7, 0.0, table.grid.edges(5).0, 0.9, table.grid.edges(7).0 + 1e-9] {
                let ps: Vec<f64> = ys.iter().map(|&y| swung(y, Lift::at(sd, z))).collect();
                let law = poisson_binomial(&ps);
                let n = 200_000;
                let mut counts = vec![0u64; ys.len() + 1];
                for _ in 0..n {
                    counts[table.sample_at(&mut rng, z).unwrap() as usize] += 1;
                }
                assert_counts_follow(&counts, &law, &format!("sd={sd} z={z} per={per}"));
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

    /// The residual's helpers: tilting in four chains matches one exp per
    /// count, the four-lane sum the plain sum, and the blocked search a plain
    /// scan of running sums (zeros skipped, the last positive weight past the end).
    #[test]
    fn the_residuals_passes_match_their_plain_forms() {
        let law: Vec<f64> = (0..23).map(|k| ((k * 37) % 11) as f64 * if k % 5 == 0 { 0.0 } else { 0.1 }).collect();
        let s = 0.173;
        let plain: Vec<f64> = law.iter().enumerate().map(|(k, p)| p * ((k as f64 - 11.5) * s).exp()).collect();
        for (a, b) in tilted(&law, s).iter().zip(&plain) {
            assert!((a - b).abs() <= 1e-14 * b, "{a} vs {b}");
        }
        assert!((lanes_sum(&plain) - plain.iter().sum::<f64>()).abs() < 1e-13);
        let total: f64 = plain.iter().sum();
        for target in (0..=100).map(|i| i as f64 / 100.0 * total).chain([total * 2.0]) {
            let mut acc = 0.0;
            let scan = plain.iter().enumerate().filter(|(_, w)| **w > 0.0).find(|(_, w)| {
                acc += **w;
                target < acc
            });
            let expected = scan.map_or(plain.iter().rposition(|&w| w > 0.0).unwrap(), |(i, _)| i);
            assert_eq!(find(&plain, target), expected, "target {target}");
        }
    }

    /// With 341 named members (like bench/members), every bin's table decides
    /// all but about [`FALLBACK`] of its votes and every fine bin's table all but
    /// about 1/(fine bins per bin) of the rest; with 2,000 (too many for fine
    /// bins) every bin's table all but FALLBACK / 2.
    #[test]
    fn every_bin_falls_back_in_about_the_planned_share_of_votes() {
        let ys = |n: usize| (0..n).map(|i| 0.01 + 0.98 * ((i * 7919) % n) as f64 / n as f64).collect::<Vec<_>>();
        let share = |take: u64| 1.0 - take as f64 / 4_294_967_296.0;
        for n in [341, 2000] {
            let table = MemberTable::new(&ys(n), 0.3).unwrap();
            let worst = table.take.iter().map(|&a| share(a)).fold(0.0, f64::max);
            let planned = if table.per == 1 { FALLBACK / 2.0 } else { FALLBACK };
            assert!((0.5 * planned..=1.1 * planned).contains(&worst), "{n} members: {worst} ({} per bin)", table.per);
            let per = table.per as f64;
            let residual = |f: usize| share(table.take[f / table.per]) * share(table.fine_take[f]);
            let worst = (0..table.fine_take.len()).map(residual).fold(0.0, f64::max);
            assert!(worst <= 1.5 * planned / per, "{n} members: {worst} of votes compute R_z, {per} fine bins per bin");
        }
    }
}
