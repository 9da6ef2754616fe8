//! Z-binned inverse-CDF tables whose guide cells hold the draw itself, for
//! tables that every vote reads (the member tables): one memory read per draw.
//!
//! Each bin has 2^b guide cells over the top b bits of the 32-bit uniform u, the
//! same b for every bin, so a cell's address is a function of (bin, u) alone:
//! no per-bin header lies on the path to it. A cell holds, in 32 bits,
//! - a **settled** cell (no threshold inside it): the draw, for every u in it;
//! - a cell holding **one** threshold F(i): i and that threshold's place in the
//!   cell, so the draw is i or i + 1 by one comparison of u's low 32 − b bits,
//!   with no branch;
//! - a cell holding several (the tails' thresholds crowd the first and last
//!   cells): where a short search of the bin's thresholds starts.
//!
//! The top b bits of a cell are r, the low 32 − b bits o, and the draw is
//! first − 1 + r + [low bits of u ≥ o]: a settled cell is (i, 0), a one-threshold
//! cell (i + 1, F(i) − the cell's first u), a crowded one (2^b − 1, where to
//! search). So b needs 2^b − 1 > the bin's counts: b ≥ log2(counts + 1).
//!
//! **Exact.** Every draw is the smallest kept count m with F(m) > u (or the
//! last), as [`super::binned::Binned`] draws from the same weights: the same
//! thresholds ([`push_thresholds`]), trimmed the same way ([`kept`]), so the
//! same count for every u (tested for every u near every threshold and cell edge).

use super::binned::NEGLIGIBLE;
use super::inverse::{guide, kept, push_thresholds, search};

/// Guide bits beyond the fewest the encoding needs (log2 of the bin's counts +
/// 1, rounded up): each one halves the draws that search, and doubles the cells.
const EXTRA_BITS: u32 = 0;

/// Where one bin's thresholds lie and its first count.
#[derive(Debug, Clone, Copy)]
struct Head {
    /// The count of its first threshold.
    first: u32,
    /// Its thresholds are `cdf[start..start + len]`.
    start: u32,
    len: u32,
}

/// Per-bin inverse-CDF tables of counts with guide cells that hold the draw.
#[derive(Debug, Clone)]
pub struct Celled {
    /// Guide bits b: 2^b cells per bin.
    bits: u32,
    heads: Vec<Head>,
    cells: Vec<u32>,
    cdf: Vec<u32>,
}

impl Celled {
    /// One bin per law, in order: the weights of counts `first`, `first` + 1, …
    /// (leading and trailing weights below [`NEGLIGIBLE`] are dropped, as
    /// [`super::binned::Binned::push_from`] drops them). At most 2^15 counts per bin.
    pub fn new<'a>(laws: impl Iterator<Item = (usize, &'a [f64])>) -> Celled {
        let mut t = Celled { bits: 1, heads: Vec::new(), cells: Vec::new(), cdf: Vec::new() };
        for (from, law) in laws {
            let (first, last) = kept(law, NEGLIGIBLE).into_inner();
            let start = t.cdf.len();
            push_thresholds(&law[first..=last], &mut t.cdf);
            let len = t.cdf.len() - start;
            t.heads.push(Head { first: (from + first) as u32, start: start as u32, len: len as u32 });
        }
        let most = t.heads.iter().map(|h| h.len as usize).max().unwrap_or(1);
        assert!(most < 1 << 15, "{most} counts in one bin");
        t.bits = ((most + 1).next_power_of_two().trailing_zeros() + EXTRA_BITS).clamp(1, 16);
        for h in &t.heads {
            let cdf = &t.cdf[h.start as usize..(h.start + h.len) as usize];
            t.cells.extend(cells(cdf, t.bits));
        }
        t
    }

    /// The smallest count m with F(m) > u in bin j (or its last count).
    #[inline(always)]
    pub fn draw(&self, j: usize, u: u32) -> u32 {
        let shift = 32 - self.bits;
        let cell = self.cells[(j << self.bits) | (u >> shift) as usize];
        let head = self.heads[j];
        let (r, o) = (cell >> shift, cell & low_mask(shift));
        if r == crowded(self.bits) {
            return head.first + self.search(head, o, u);
        }
        head.first.wrapping_sub(1).wrapping_add(r + u32::from(u & low_mask(shift) >= o))
    }

    /// The draw in a crowded cell: a search of the bin's thresholds from `from`.
    #[cold]
    fn search(&self, head: Head, from: u32, u: u32) -> u32 {
        search(&self.cdf[head.start as usize..(head.start + head.len) as usize], from as usize, u) as u32
    }
}

/// The r of a crowded cell.
#[inline(always)]
fn crowded(bits: u32) -> u32 {
    (1 << bits) - 1
}

/// The low `shift` bits.
#[inline(always)]
fn low_mask(shift: u32) -> u32 {
    ((1u64 << shift) - 1) as u32
}

/// The 2^`bits` cells of one bin with thresholds `cdf` (see the module's doc).
fn cells(cdf: &[u32], bits: u32) -> impl Iterator<Item = u32> + '_ {
    let shift = 32 - bits;
    let last = cdf.len() - 1;
    guide(cdf, bits).enumerate().map(move |(g, i)| {
        let (lo, hi) = ((g as u64) << shift, (((g as u64) + 1) << shift) - 1);
        let holds = |i: usize| i < last && u64::from(cdf[i]) <= hi;
        let (r, o) = match (holds(i), holds(i + 1)) {
            (false, _) => (i as u32, 0),
            (true, false) => (i as u32 + 1, (u64::from(cdf[i]) - lo) as u32),
            (true, true) => (crowded(bits), i as u32),
        };
        (r << shift) | o
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::binned::Binned;

    /// For every u near every threshold and every cell edge, and over an even
    /// sweep, the cells draw what a guided search of the same weights draws:
    /// wide and narrow laws, a one-count bin, counts not starting at 0,
    /// negligible ends and zero weights inside.
    #[test]
    fn cells_draw_what_a_guided_search_draws_for_every_uniform() {
        let bell = |n: usize, width: f64| -> Vec<f64> {
            (0..n).map(|m| (-(m as f64 - n as f64 / 2.0).powi(2) / width).exp()).collect()
        };
        let laws: Vec<(usize, Vec<f64>)> = vec![
            (0, bell(60, 40.0)),
            (7, bell(200, 400.0)),
            (3, vec![1.0]),
            (0, vec![1e-20, 0.5, 0.0, 1e-12, 0.5 - 1e-12, 1e-20]),
            (11, bell(9, 1.0)),
            (2, vec![0.25, 1e-9, 2e-9, 3e-9, 0.75]),
        ];
        let celled = Celled::new(laws.iter().map(|(f, l)| (*f, l.as_slice())));
        let mut binned = Binned::new();
        laws.iter().for_each(|(f, l)| _ = binned.push_from(*f, l));
        let edges = (0..1u64 << celled.bits).map(|g| (g << (32 - celled.bits)) as u32);
        let near: Vec<u32> = celled.cdf.iter().copied().chain(edges).chain([0, u32::MAX]).collect();
        let near = near.iter().flat_map(|&t| [t.saturating_sub(1), t, t.saturating_add(1)]);
        let sweep = (0..1u32 << 16).map(|i| i.wrapping_mul(65_537).wrapping_add(12_345));
        let us: Vec<u32> = near.chain(sweep).collect();
        for j in 0..laws.len() {
            for &u in &us {
                assert_eq!(celled.draw(j, u) as usize, binned.draw(j, u), "bin {j}, u = {u}");
            }
        }
        let crowded = celled.cells.iter().filter(|&&c| c >> (32 - celled.bits) == crowded(celled.bits)).count();
        assert!(crowded > 0, "some cell is crowded, so the search is tested too");
    }
}
