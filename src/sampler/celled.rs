//! Z-binned inverse-CDF tables whose guide cells hold the draw itself, for
//! tables that every vote reads (the member tables, the swing group's total):
//! one small memory read per draw, in tables half the size of thresholds with a
//! guide.
//!
//! Each bin has 2^b guide cells over the top b bits of the 32-bit uniform u, the
//! same b for every bin, so a cell's address is a function of (bin, u) alone:
//! no per-bin header lies on the path to it. A cell (16 bits, or 32 for bins of
//! more than 254 counts) holds an index r (its top R bits) and o (the rest):
//! - a cell holding no threshold: r = i + 1 for the draw i of every u in it,
//!   o all ones;
//! - a cell holding one threshold F(i): r = i + 1 and o the top bits of F(i)'s
//!   place in the cell;
//! - a cell holding several (the tails' thresholds crowd the first and last
//!   cells): r = 2^R − 1, o where a search of the bin's thresholds starts.
//!
//! Comparing the same top bits p of u's place in its cell with o decides the
//! draw, first + r − 1 + [p > o], unless p = o; then (about one draw in 2^10) a
//! search from i decides, as in crowded cells.
//!
//! **Exact.** Every draw is the smallest kept count m with F(m) > u (or the
//! last), as [`super::binned::Binned`] draws from the same weights: the same
//! thresholds ([`all_thresholds`]), trimmed the same way ([`kept_laws`]), so the
//! same count for every u (tested for every u near every threshold and cell edge).
//!
//! **Building.** Every bin's thresholds and cells are written on their own, in
//! parallel, into tables laid out beforehand: the same tables on any number of
//! threads, and no serial pass over the largest tables a kernel builds (the member
//! tables' and the swing group's; that pass was a fifth of `table-members-2000`'s
//! table building, and ran after the parallel part).

use super::binned::NEGLIGIBLE;
use super::inverse::{all_thresholds, guide, kept_laws, search};
use rayon::prelude::*;

/// Cells per bin: 2^b for b = this + log2 of the most counts a bin keeps
/// (rounded up). More cells leave fewer draws to a search, in larger tables.
const EXTRA_BITS: u32 = 0;

/// Where one bin's thresholds lie and its first count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    /// The count of its first threshold.
    first: u32,
    /// Its thresholds are `cdf[start..start + len]`.
    start: u32,
    len: u32,
}

/// The cells of all bins, bin after bin: 16 bits each where r fits in 8.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cells {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// Per-bin inverse-CDF tables of counts with guide cells that hold the draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Celled {
    /// Cell bits b: 2^b cells per bin.
    bits: u32,
    /// The shifts and mask a draw uses, worked out once: 32 − b, the cell's
    /// width − R (o's bits) and 32 − o's bits; o's mask; the r of a crowded cell.
    shift: u32,
    o_bits: u32,
    o_shift: u32,
    o_mask: u32,
    crowded: u32,
    heads: Vec<Head>,
    cells: Cells,
    cdf: Vec<u32>,
}

impl Celled {
    /// One bin per law, in order: the weights of counts `first`, `first` + 1, …
    /// (leading and trailing weights below [`NEGLIGIBLE`] are dropped, as
    /// [`super::binned::Binned::push_from`] drops them). At most 2^15 counts per bin.
    pub fn new<'a>(laws: impl Iterator<Item = (usize, &'a [f64])>) -> Celled {
        let kept = kept_laws(laws, NEGLIGIBLE);
        let heads = heads(&kept);
        let most = heads.iter().map(|h| h.len as usize).max().unwrap_or(1);
        assert!(most < 1 << 15, "{most} counts in one bin");
        // Each bin's thresholds and cells are written on their own, in parallel:
        // the same tables on any number of threads.
        let cdf = all_thresholds(&kept);
        let log2 = |n: usize| n.next_power_of_two().trailing_zeros();
        let (bits, index_bits) = ((log2(most) + EXTRA_BITS).clamp(1, 16), log2(most + 2));
        let width = if index_bits <= 8 { 16 } else { 32 };
        let layout = Layout { cdf: &cdf, heads: &heads, bits, index_bits, width };
        let cells = match width {
            16 => Cells::Narrow(layout.cells(|c| c as u16)),
            _ => Cells::Wide(layout.cells(|c| c)),
        };
        let o_bits = width - index_bits;
        let (shift, o_shift, o_mask, crowded) = (32 - bits, 32 - o_bits, low_mask(o_bits), crowded(index_bits));
        Celled { bits, shift, o_bits, o_shift, o_mask, crowded, heads, cells, cdf }
    }

    /// The smallest count m with F(m) > u in bin j (or its last count).
    #[inline(always)]
    pub fn draw(&self, j: usize, u: u32) -> u32 {
        match &self.cells {
            Cells::Narrow(cells) => self.draw_from(cells, j, u),
            Cells::Wide(cells) => self.draw_from(cells, j, u),
        }
    }

    #[inline(always)]
    fn draw_from<C: Copy + Into<u32>>(&self, cells: &[C], j: usize, u: u32) -> u32 {
        let cell: u32 = cells[(j << self.bits) | (u >> self.shift) as usize].into();
        let (r, o) = (cell >> self.o_bits, cell & self.o_mask);
        // The top o's bits of u's place in its cell ([`place`]).
        let p = (u << self.bits) >> self.o_shift;
        let head = self.heads[j];
        if r == self.crowded || p == o {
            return head.first + self.search(head, r, o, u);
        }
        head.first + r - 1 + u32::from(p > o)
    }

    /// The draw's index in a crowded cell (r = 2^R − 1: a search from o) or
    /// where u's place ties with o (a search from r − 1).
    #[cold]
    fn search(&self, head: Head, r: u32, o: u32, u: u32) -> u32 {
        let from = if r == self.crowded { o } else { r - 1 };
        search(&self.cdf[head.start as usize..(head.start + head.len) as usize], from as usize, u) as u32
    }
}

/// Where each bin's thresholds go, one after another: bin j keeps the counts of
/// `kept[j]` from its first.
fn heads(kept: &[(usize, &[f64])]) -> Vec<Head> {
    let mut start = 0;
    let head = |(first, law): &(usize, &[f64])| {
        let head = Head { first: *first as u32, start, len: law.len() as u32 };
        start += head.len;
        head
    };
    kept.iter().map(head).collect()
}

/// The thresholds of every bin and the cells' sizes.
struct Layout<'t> {
    cdf: &'t [u32],
    heads: &'t [Head],
    bits: u32,
    index_bits: u32,
    width: u32,
}

impl Layout<'_> {
    /// Every bin's 2^bits cells, bin after bin, each `width` bits (`narrow` keeps
    /// them), written a bin at a time in parallel.
    fn cells<C: Copy + Default + Send>(&self, narrow: impl Fn(u32) -> C + Sync) -> Vec<C> {
        let mut all = vec![C::default(); self.heads.len() << self.bits];
        all.par_chunks_mut(1 << self.bits).zip(self.heads).for_each(|(out, h)| {
            let thresholds = &self.cdf[h.start as usize..(h.start + h.len) as usize];
            let bin = cells(thresholds, self.bits, self.index_bits, self.width);
            out.iter_mut().zip(bin).for_each(|(o, c)| *o = narrow(c));
        });
        all
    }
}

/// The r of a crowded cell.
#[inline(always)]
fn crowded(index_bits: u32) -> u32 {
    (1 << index_bits) - 1
}

/// The low `n` bits (n < 32).
#[inline(always)]
fn low_mask(n: u32) -> u32 {
    (1 << n) - 1
}

/// The top `o_bits` bits of u's place in its cell of the top `bits` bits.
#[inline(always)]
fn place(u: u32, bits: u32, o_bits: u32) -> u32 {
    (u << bits) >> (32 - o_bits)
}

/// The 2^`bits` cells, `width` bits each, of one bin with thresholds `cdf`
/// (see the module's doc).
fn cells(cdf: &[u32], bits: u32, index_bits: u32, width: u32) -> impl Iterator<Item = u32> + '_ {
    let (shift, o_bits) = (32 - bits, width - index_bits);
    let last = cdf.len() - 1;
    guide(cdf, bits).enumerate().map(move |(g, i)| {
        let (lo, hi) = ((g as u64) << shift, (((g as u64) + 1) << shift) - 1);
        let holds = |i: usize| i < last && u64::from(cdf[i]) <= hi;
        let (r, o) = match (holds(i), holds(i + 1)) {
            (false, _) => (i as u32 + 1, low_mask(o_bits)),
            (true, false) => (i as u32 + 1, place((u64::from(cdf[i]) - lo) as u32, bits, o_bits)),
            (true, true) => (crowded(index_bits), i as u32),
        };
        (r << o_bits) | o
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::binned::Binned;

    /// For every u near every threshold and every cell edge, and over an even
    /// sweep, the cells draw what a guided search of the same weights draws:
    /// wide and narrow laws, a one-count bin, counts not starting at 0,
    /// negligible ends and zero weights inside, in 16-bit and 32-bit cells.
    #[test]
    fn cells_draw_what_a_guided_search_draws_for_every_uniform() {
        let bell = |n: usize, width: f64| -> Vec<f64> {
            (0..n).map(|m| (-(m as f64 - n as f64 / 2.0).powi(2) / width).exp()).collect()
        };
        let mut laws: Vec<(usize, Vec<f64>)> = vec![
            (0, bell(60, 40.0)),
            (7, bell(200, 400.0)),
            (3, vec![1.0]),
            (0, vec![1e-20, 0.5, 0.0, 1e-12, 0.5 - 1e-12, 1e-20]),
            (11, bell(9, 1.0)),
            (2, vec![0.25, 1e-9, 2e-9, 3e-9, 0.75]),
        ];
        for wide in [false, true] {
            if wide {
                laws.push((5, bell(700, 4000.0)));
            }
            let celled = Celled::new(laws.iter().map(|(f, l)| (*f, l.as_slice())));
            assert_eq!(matches!(celled.cells, Cells::Wide(_)), wide);
            let mut binned = Binned::new();
            laws.iter().for_each(|(f, l)| _ = binned.push_from(*f, l));
            let edges = (0..1u64 << celled.bits).map(|g| (g << (32 - celled.bits)) as u32);
            let near: Vec<u32> = celled.cdf.iter().copied().chain(edges).chain([0, u32::MAX]).collect();
            let near = near.iter().flat_map(|&t| [t.saturating_sub(1), t, t.saturating_add(1)]);
            let sweep = (0..1u32 << 16).map(|i| i.wrapping_mul(65_537).wrapping_add(12_345));
            let us: Vec<u32> = near.chain(sweep).collect();
            for j in 0..laws.len() {
                for &u in &us {
                    assert_eq!(celled.draw(j, u) as usize, binned.draw(j, u), "bin {j}, u = {u}, wide {wide}");
                }
            }
        }
    }

    /// Bins are written in parallel, each on its own: one thread and three
    /// build the same tables.
    #[test]
    fn the_tables_are_the_same_on_any_number_of_threads() {
        let laws: Vec<(usize, Vec<f64>)> =
            (0..300).map(|j| (j % 7, (0..40 + j % 90).map(|k| 1.0 + ((k * j) % 13) as f64).collect())).collect();
        let build = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| Celled::new(laws.iter().map(|(f, l)| (*f, l.as_slice()))))
        };
        assert_eq!(build(1), build(3));
    }
}
