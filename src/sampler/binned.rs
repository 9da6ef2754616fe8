//! Many small inverse-CDF tables in one contiguous array, one per bin of the
//! swing z, so that a vote touches one or two cache lines of its bin.
//!
//! Each table holds F(m)·2^32 for the counts m it keeps: leading and trailing
//! counts below [`NEGLIGIBLE`] are dropped (below the 2^-32 resolution of the
//! thresholds). A draw is the smallest m with F(m) > u, found by a guide table on
//! the top bits of u and a short linear search: monotone in u, and quick even for
//! counts in the hundreds (a bloc of 170 named members). Bins of at most
//! [`MEDIAN_SEARCH`] entries have no guide: the search starts at their median. Thresholds, guides,
//! search and trimming are [`super::inverse`]'s, shared with the composite tables.

use super::inverse::{
    all_thresholds, kept, kept_laws, pieces, push_thresholds, search, settled_guide, settled_search, top_bits,
};
pub use super::zgrid::{Z_MAX, ZGrid};
use rayon::prelude::*;

/// Leading and trailing table entries below this are dropped.
pub const NEGLIGIBLE: f64 = 1e-13;

/// Two independent uniforms from one 64-bit draw: 32 bits for a table lookup and
/// a double strictly inside (0, 1) for a squeeze or an acceptance test.
#[inline]
pub fn two_uniforms(r: u64) -> (u32, f64) {
    (r as u32, ((r >> 32) as f64 + 0.5) * (1.0 / 4_294_967_296.0))
}

/// Guide entries per kept count, before rounding up to a power of two: the top
/// bits of u pick the first candidate, so a draw walks one or two entries. One
/// measured faster than two on `bench/members`, whose many bins must share the
/// cache, and no slower on the default scenario; sizing by the peak probability
/// instead (smaller guides for long tails) measured slower on the default.
const GUIDE_PER_COUNT: usize = 1;

/// Bins with at most this many entries have no guide: a draw searches from the
/// bin's median, about 0.8 standard deviations of steps (at most 3 or so, on one
/// or two cache lines), where a guide would add a second, dependent cache miss
/// and a third of the memory.
const MEDIAN_SEARCH: usize = 64;

/// Where one bin's entries lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bin {
    /// Its entries are `cdf[start..end]`.
    start: u32,
    end: u32,
    /// The count of its first entry (leading negligible counts are dropped).
    first: u32,
    /// Its guide is `guide[guide_start..]`, indexed by the top `guide_bits` bits
    /// of u; without a guide (`guide_bits` 0), the index of its median entry.
    guide_start: u32,
    guide_bits: u32,
}

/// Per-bin inverse-CDF tables of counts, each with a guide table (Chen & Asau).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Binned {
    bins: Vec<Bin>,
    cdf: Vec<u32>,
    /// Per bin: the smallest index with F > g·2^(32 − bits), relative to the
    /// bin's start, marked when the cell holds no threshold
    /// ([`settled_guide`]): most draws then end at the guide.
    guide: Vec<u16>,
    /// Bins with at most this many entries have no guide (0: every bin has one).
    median_search: usize,
}

impl Binned {
    /// No bins yet; every bin guided.
    pub fn new() -> Binned {
        Binned::default()
    }

    /// No bins yet; bins of at most [`MEDIAN_SEARCH`] entries searched from
    /// their median. For many small tables of one bloc each (the binomial and
    /// Beta-binomial tables), where a guide's extra cache miss costs more than
    /// the search; tables that a vote reads every time (the swing group's, the
    /// member tables) measured faster with guides.
    pub fn median_searched() -> Binned {
        Binned { median_search: MEDIAN_SEARCH, ..Binned::default() }
    }

    /// Every bin guided, one for each of `laws` (the weights of counts `from`,
    /// `from` + 1, …): the tables that pushing them in order with
    /// [`Self::push_from`] builds, each bin's written on its own in parallel
    /// into tables laid out beforehand (the same on any number of threads).
    pub fn guided(laws: &[(usize, &[f64])]) -> Binned {
        let kept = kept_laws(laws.iter().copied(), NEGLIGIBLE);
        let (mut start, mut guide_start) = (0, 0);
        let mut bin = |&(first, law): &(usize, &[f64])| {
            let bits = guide_bits(law.len());
            let bin = Bin { start, end: start + law.len() as u32, first: first as u32, guide_start, guide_bits: bits };
            (start, guide_start) = (bin.end, guide_start + (1 << bits));
            bin
        };
        let bins: Vec<Bin> = kept.iter().map(&mut bin).collect();
        let (cdf, mut guide) = (all_thresholds(&kept), vec![0; guide_start as usize]);
        let guides = pieces(&mut guide, bins.iter().map(|b| 1 << b.guide_bits));
        guides.into_par_iter().zip(&bins).for_each(|(out, b)| {
            let entries = &cdf[b.start as usize..b.end as usize];
            out.iter_mut().zip(settled_guide(entries, b.guide_bits)).for_each(|(o, g)| *o = g);
        });
        Binned { bins, cdf, guide, median_search: 0 }
    }

    /// Appends a bin for the weights `law` of counts 0, 1, …; returns the counts
    /// kept (those with weight ≥ [`NEGLIGIBLE`], and every count between them).
    pub fn push(&mut self, law: &[f64]) -> std::ops::Range<usize> {
        self.push_from(0, law)
    }

    /// Like [`Self::push`] for the weights `law` of counts `from`, `from` + 1, ….
    pub fn push_from(&mut self, from: usize, law: &[f64]) -> std::ops::Range<usize> {
        let (first, last) = kept(law, NEGLIGIBLE).into_inner();
        let start = self.cdf.len();
        push_thresholds(&law[first..=last], &mut self.cdf);
        let entries = &self.cdf[start..];
        let (guide_start, guide_bits) = if entries.len() <= self.median_search {
            (entries.iter().position(|&f| f > 1 << 31).unwrap_or(entries.len() - 1) as u32, 0)
        } else {
            let bits = guide_bits(entries.len());
            let guide_start = self.guide.len() as u32;
            self.guide.extend(settled_guide(entries, bits));
            (guide_start, bits)
        };
        let end = self.cdf.len() as u32;
        self.bins.push(Bin { start: start as u32, end, first: (from + first) as u32, guide_start, guide_bits });
        from + first..from + last + 1
    }

    /// The index of bin j's entry for `count` in the flat order of all entries
    /// pushed, for side tables that follow the entries.
    #[inline]
    pub fn entry(&self, j: usize, count: usize) -> usize {
        let bin = self.bins[j];
        bin.start as usize + count - bin.first as usize
    }

    /// The smallest count m with F(m) > u in bin j.
    #[inline]
    pub fn draw(&self, j: usize, u: u32) -> usize {
        let bin = self.bins[j];
        let cdf = &self.cdf[bin.start as usize..bin.end as usize];
        if bin.guide_bits == 0 {
            return bin.first as usize + search_from_median(cdf, bin.guide_start as usize, u);
        }
        let cell = self.guide[bin.guide_start as usize + top_bits(u, bin.guide_bits)];
        bin.first as usize + settled_search(cdf, cell, u)
    }
}

/// The guide bits of a bin of `entries` thresholds: at least one (0 marks a bin
/// without a guide).
fn guide_bits(entries: usize) -> u32 {
    (entries * GUIDE_PER_COUNT).next_power_of_two().trailing_zeros().clamp(1, 16)
}

/// The smallest i with F(i) > u (or the last index), searching down or up from
/// the median index `median`.
#[inline]
fn search_from_median(cdf: &[u32], median: usize, u: u32) -> usize {
    let mut i = median;
    if cdf[i] > u {
        while i > 0 && cdf[i - 1] > u {
            i -= 1;
        }
        i
    } else {
        search(cdf, i, u)
    }
}

/// Asserts that `counts` (of counts 0, 1, …) could come from `law`: every cell
/// within 6 standard deviations (plus 3) of its expectation. For the tables'
/// fixed-z tests.
#[cfg(test)]
pub fn assert_counts_follow(counts: &[u64], law: &[f64], what: &str) {
    let n: u64 = counts.iter().sum();
    for (y, (c, p)) in counts.iter().zip(law).enumerate() {
        let expected = p * n as f64;
        let tolerance = 6.0 * expected.sqrt() + 3.0;
        assert!((*c as f64 - expected).abs() <= tolerance, "{what}, y={y}: {c} vs {expected}");
    }
}

/// Asserts that `counts` pass Pearson's chi-square test against `law`, cells
/// with fewer than 20 expected draws pooled: the statistic must stay below
/// df + 6·√(2·df) (a false alarm well under once in 10^6 runs). Sharper than
/// [`assert_counts_follow`] against small, spread-out biases.
#[cfg(test)]
pub fn assert_chi_square(counts: &[u64], law: &[f64], what: &str) {
    let n = counts.iter().sum::<u64>() as f64;
    let (mut stat, mut cells, mut pool) = (0.0, 0usize, (0.0, 0.0));
    for (c, p) in counts.iter().zip(law) {
        pool = (pool.0 + *c as f64, pool.1 + p * n);
        if pool.1 >= 20.0 {
            stat += (pool.0 - pool.1).powi(2) / pool.1;
            (cells, pool) = (cells + 1, (0.0, 0.0));
        }
    }
    stat += (pool.0 - pool.1).powi(2) / pool.1.max(1.0);
    let df = cells as f64;
    assert!(stat < df + 6.0 * (2.0 * df).sqrt(), "{what}: chi-square {stat} on {cells} cells");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bin_inverts_its_own_law() {
        let mut b = Binned::new();
        assert_eq!(b.push(&[0.5, 0.5, 1e-20]), 0..2);
        assert_eq!(b.push(&[0.0, 1e-20, 0.25, 0.75]), 2..4);
        assert_eq!((b.draw(0, 0), b.draw(0, u32::MAX / 2 + 1), b.draw(0, u32::MAX)), (0, 1, 1));
        assert_eq!((b.draw(1, 0), b.draw(1, u32::MAX / 4 - 1), b.draw(1, u32::MAX / 4 + 1)), (2, 2, 3));
        assert_eq!((b.entry(1, 2), b.entry(1, 3)), (2, 3));
    }

    /// The search from the median (small bins) and the guided search (larger
    /// ones, ending at the guide in settled cells) give the same count as a
    /// plain search from the start, for every uniform near every threshold and
    /// over an even sweep.
    #[test]
    fn median_and_guided_draws_match_a_plain_search() {
        for (width, counts) in [(40.0, 60), (400.0, 200)] {
            let law: Vec<f64> =
                (0..counts).map(|m| (-(m as f64 - counts as f64 / 2.0).powi(2) / width).exp()).collect();
            let mut b = Binned::median_searched();
            let kept = b.push(&law);
            assert_eq!(b.bins[0].guide_bits == 0, width < 100.0, "{width}: {} counts", kept.len());
            let mut guided = Binned::new();
            guided.push(&law);
            guided.push(&[0.0, 1.0]);
            assert!(guided.bins.iter().all(|b| b.guide_bits > 0), "{width}: a plain table guides every bin");
            assert_eq!((guided.draw(1, 0), guided.draw(1, u32::MAX)), (1, 1), "a one-count bin");
            let cdf = b.cdf.clone();
            let near = cdf.iter().chain(&[0, u32::MAX]).flat_map(|&t| [t.saturating_sub(1), t, t.saturating_add(1)]);
            for u in near.chain((0..1u32 << 14).map(|i| i.wrapping_mul(262_147))) {
                let plain = cdf.iter().position(|&f| f > u).unwrap_or(cdf.len() - 1);
                assert_eq!(b.draw(0, u), kept.start + plain, "width {width}, u = {u}");
                assert_eq!(guided.draw(0, u), kept.start + plain, "width {width}, u = {u}");
            }
        }
    }

    /// Bins built at once, in parallel, are the bins pushed one by one: wide and
    /// narrow laws, negligible ends, a one-count law, counts not from 0; on one
    /// thread and on three.
    #[test]
    fn guided_bins_are_the_bins_pushed_one_by_one() {
        let laws: Vec<(usize, Vec<f64>)> = (0..200)
            .map(|j| {
                (
                    j % 5,
                    (0..1 + (j * 37) % 300).map(|k| ((k * j) % 11) as f64 + if k == 0 { 1e-20 } else { 0.5 }).collect(),
                )
            })
            .collect();
        let views: Vec<(usize, &[f64])> = laws.iter().map(|(f, l)| (*f, l.as_slice())).collect();
        let mut pushed = Binned::new();
        views.iter().for_each(|&(from, law)| _ = pushed.push_from(from, law));
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            assert_eq!(pool.install(|| Binned::guided(&views)), pushed, "{threads} threads");
        }
    }
}
