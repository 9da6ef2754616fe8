//! Inverse-CDF sampling from a finite distribution with a guide table
//! (Chen & Asau's indexed search).
//!
//! The outcome is the smallest i with F(i) > u for one 32-bit uniform u, so draws
//! are monotone in u: with common random numbers, a bloc whose law shifts upward
//! (more seats, higher yes) never draws a lower count for the same u. The guide
//! table maps the top bits of u to the first candidate index, so a draw costs one
//! lookup and, on average, little more than one comparison. The CDF is held as 32-bit
//! thresholds (two blocs share one 64-bit draw); rounding moves each probability
//! by at most 2^-32 ≈ 2.3e-10, far below the Monte Carlo error of any feasible run
//! (10^11 votes give a standard error above 1e-6).
//!
//! The thresholds ([`push_thresholds`]), the guide ([`guide`]), the guided search
//! ([`search`]) and the trimming of negligible ends ([`kept`]) are the one
//! implementation that the composite tables ([`InverseCdf`]) and the z-binned
//! tables ([`super::binned::Binned`]) share.

use rayon::prelude::*;

/// Guide entries per outcome: more entries, fewer comparisons after the lookup
/// (on average under 1 + 1/4) and so fewer mispredicted branches; 4 measured
/// faster than 2 or 8 (denser guides stop fitting in cache).
const GUIDE_PER_OUTCOME: usize = 4;

/// A distribution over `0..n` ready for inversion.
#[derive(Debug, Clone)]
pub struct InverseCdf {
    /// F(i)·2^32; the last outcome takes every u past the others.
    cdf: Vec<u32>,
    /// guide[j]: the smallest i with F(i) > j/m.
    guide: Vec<u32>,
}

impl InverseCdf {
    /// Builds the table from weights (all ≥ 0, sum > 0).
    pub fn new(weights: &[f64]) -> InverseCdf {
        let mut cdf = Vec::with_capacity(weights.len());
        push_thresholds(weights, &mut cdf);
        InverseCdf::from_thresholds(cdf)
    }

    /// The table of thresholds F(i)·2^32 (non-decreasing, not empty), as
    /// [`push_thresholds`] writes them.
    pub fn from_thresholds(cdf: Vec<u32>) -> InverseCdf {
        let bits = (cdf.len() * GUIDE_PER_OUTCOME).next_power_of_two().trailing_zeros();
        let guide = guide(&cdf, bits).map(|i| i as u32).collect();
        InverseCdf { cdf, guide }
    }

    /// The thresholds F(i)·2^32.
    pub fn thresholds(&self) -> &[u32] {
        &self.cdf
    }

    /// The outcome for one 32-bit uniform.
    #[inline(always)]
    pub fn sample(&self, u: u32) -> usize {
        let bits = self.guide.len().trailing_zeros();
        search(&self.cdf, self.guide[top_bits(u, bits)] as usize, u)
    }
}

/// Guide cells per outcome of a [`FineCdf`], before rounding up to a power of
/// two: a draw ends at the guide unless its cell holds a threshold, which at most
/// one cell in this many does.
const FINE_PER_OUTCOME: usize = 64;

/// The most guide bits of a [`FineCdf`]: 2^14 cells of 2 bytes, 32 KiB.
const FINE_MAX_BITS: u32 = 14;

/// Marks a guide cell that holds no threshold: every u in it draws the cell's
/// index (see [`settled_guide`]).
pub const SETTLED: u16 = 1 << 15;

/// A distribution ready for inversion whose guide is so fine that most of its
/// cells hold no threshold: a draw there is the cell's index, with no
/// comparison (and so no mispredicted branch). Tables of 2^15 outcomes or more
/// (a large bloc's joint law) keep the coarse guide of an [`InverseCdf`]. Draws
/// are those of an [`InverseCdf`] over the same thresholds, for every u.
#[derive(Debug, Clone)]
pub enum FineCdf {
    /// Per cell: the smallest i with F(i) > the cell's first u, or'ed with
    /// [`SETTLED`] when F(i) also exceeds its last u.
    Fine { cdf: Vec<u32>, guide: Vec<u16>, bits: u32 },
    /// Too many outcomes for 15-bit cells.
    Coarse(InverseCdf),
}

impl FineCdf {
    /// The table of thresholds F(i)·2^32 (non-decreasing, not empty).
    pub fn from_thresholds(cdf: Vec<u32>) -> FineCdf {
        if cdf.len() >= usize::from(SETTLED) {
            return FineCdf::Coarse(InverseCdf::from_thresholds(cdf));
        }
        let bits = (cdf.len() * FINE_PER_OUTCOME).next_power_of_two().trailing_zeros().clamp(1, FINE_MAX_BITS);
        let guide = settled_guide(&cdf, bits).collect();
        FineCdf::Fine { cdf, guide, bits }
    }

    /// The outcome for one 32-bit uniform.
    #[inline(always)]
    pub fn sample(&self, u: u32) -> usize {
        match self {
            FineCdf::Fine { cdf, guide, bits } => settled_search(cdf, guide[top_bits(u, *bits)], u),
            FineCdf::Coarse(table) => table.sample(u),
        }
    }
}

/// The guide of thresholds `cdf` over the top `bits` bits of u as 16-bit cells:
/// [`guide`]'s index (capped at `SETTLED` − 1, which only lengthens the
/// search), or'ed with [`SETTLED`] when the cell holds no threshold, that is
/// when F(index) exceeds the cell's last u: every u of the cell then draws the
/// index. Thresholds cluster at the ends of [0, 2^32) (the tails' small
/// masses), so most cells of a guide with one cell per outcome are settled.
pub fn settled_guide(cdf: &[u32], bits: u32) -> impl Iterator<Item = u16> + '_ {
    let last_u = move |g: usize| (((g as u64 + 1) << (32 - bits)) - 1) as u32;
    guide(cdf, bits).enumerate().map(move |(g, i)| match i < usize::from(SETTLED) {
        true if cdf[i] > last_u(g) => i as u16 | SETTLED,
        true => i as u16,
        false => SETTLED - 1,
    })
}

/// The draw for uniform `u` from the thresholds `cdf` given its guide cell
/// ([`settled_guide`]): the cell's index when settled, a search from it otherwise.
#[inline(always)]
pub fn settled_search(cdf: &[u32], cell: u16, u: u32) -> usize {
    if cell & SETTLED != 0 {
        return usize::from(cell & !SETTLED);
    }
    search(cdf, usize::from(cell), u)
}

/// Appends F(i)·2^32 for the weights (all ≥ 0, sum > 0) to `cdf`, as 32-bit
/// thresholds: the last one with mass reaches `u32::MAX`, so every u draws.
pub fn push_thresholds(weights: &[f64], cdf: &mut Vec<u32>) {
    let start = cdf.len();
    cdf.resize(start + weights.len(), 0);
    write_thresholds(weights, &mut cdf[start..]);
}

/// Each law (the weights of counts from its first) without its leading and
/// trailing weights below `negligible` ([`kept`]): its first count kept and the
/// weights kept.
pub fn kept_laws<'a>(laws: impl Iterator<Item = (usize, &'a [f64])>, negligible: f64) -> Vec<(usize, &'a [f64])> {
    let keep = |(from, law): (usize, &'a [f64])| {
        let keep = kept(law, negligible);
        (from + keep.start(), &law[keep])
    };
    laws.map(keep).collect()
}

/// The thresholds of every law of `kept` ([`write_thresholds`]), one law after
/// another, each law's written on its own in parallel (the same on any number
/// of threads).
pub fn all_thresholds(kept: &[(usize, &[f64])]) -> Vec<u32> {
    let lengths = || kept.iter().map(|(_, law)| law.len());
    let mut cdf = vec![0; lengths().sum()];
    pieces(&mut cdf, lengths()).into_par_iter().zip(kept).for_each(|(out, (_, law))| write_thresholds(law, out));
    cdf
}

/// `all` cut into consecutive pieces of the given lengths (which add up to at
/// most its length), for tables whose parts are written in parallel.
pub fn pieces<T>(mut all: &mut [T], lengths: impl Iterator<Item = usize>) -> Vec<&mut [T]> {
    let mut cut = |len: usize| {
        let (piece, rest) = std::mem::take(&mut all).split_at_mut(len);
        all = rest;
        piece
    };
    lengths.map(&mut cut).collect()
}

/// Writes the thresholds of [`push_thresholds`] into `out`, one per weight.
fn write_thresholds(weights: &[f64], out: &mut [u32]) {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (w, t) in weights.iter().zip(out) {
        acc += w / total;
        *t = if acc >= 1.0 { u32::MAX } else { (acc * 4_294_967_296.0) as u32 };
    }
}

/// The guide of thresholds `cdf` over the top `bits` bits of u: entry g is the
/// smallest i with F(i) > g·2^(32 − bits) (or the last index).
pub fn guide(cdf: &[u32], bits: u32) -> impl Iterator<Item = usize> + '_ {
    let mut i = 0;
    (0..1u64 << bits).map(move |g| {
        while i + 1 < cdf.len() && u64::from(cdf[i]) <= g << (32 - bits) {
            i += 1;
        }
        i
    })
}

/// The top `bits` bits of `u`: its guide entry.
#[inline(always)]
pub fn top_bits(u: u32, bits: u32) -> usize {
    (u64::from(u) >> (32 - bits)) as usize
}

/// The smallest i ≥ `from` with F(i) > u (or the last index): the draw, once the
/// guide has given where to start.
#[inline(always)]
pub fn search(cdf: &[u32], from: usize, u: u32) -> usize {
    let mut i = from;
    while i + 1 < cdf.len() && cdf[i] <= u {
        i += 1;
    }
    i
}

/// The counts a table keeps of `law`: from the first to the last weight of at
/// least `negligible` (every count between them), or just count 0 when none is.
pub fn kept(law: &[f64], negligible: f64) -> std::ops::RangeInclusive<usize> {
    let first = law.iter().position(|&p| p >= negligible).unwrap_or(0);
    let last = law.iter().rposition(|&p| p >= negligible).unwrap_or(0).max(first);
    first..=last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_even_sweep_of_uniforms_reproduces_the_weights() {
        let weights = [0.1, 0.0, 0.45, 0.2, 0.25];
        let table = InverseCdf::new(&weights);
        let steps = 1u32 << 20;
        let mut counts = [0u64; 5];
        for i in 0..steps {
            counts[table.sample(i << 12)] += 1;
        }
        for (c, w) in counts.iter().zip(weights) {
            assert!((*c as f64 / steps as f64 - w).abs() < 1e-5, "{counts:?}");
        }
    }

    /// Around every threshold and over an even sweep, a fine guide draws what
    /// the coarse one draws, including zero weights and a last threshold short
    /// of 2^32 − 1; most of its cells are settled.
    #[test]
    fn a_fine_guide_draws_what_the_coarse_guide_draws_for_every_uniform() {
        let weights = [0.2, 0.0, 1e-12, 0.3, 0.0, 0.5 - 1e-12, 0.0];
        let mut cdf = Vec::new();
        push_thresholds(&weights, &mut cdf);
        for cdf in [cdf.clone(), vec![7, 9, 1 << 31, u32::MAX - 5]] {
            let (coarse, fine) = (InverseCdf::from_thresholds(cdf.clone()), FineCdf::from_thresholds(cdf.clone()));
            let near = cdf.iter().flat_map(|&t| [t.saturating_sub(1), t, t.saturating_add(1)]);
            for u in near.chain((0..=1u32 << 16).map(|i| i.wrapping_mul(65_537))).chain([0, u32::MAX]) {
                assert_eq!(fine.sample(u), coarse.sample(u), "u = {u}, cdf {cdf:?}");
            }
            let FineCdf::Fine { guide, .. } = &fine else { panic!("a small table has a fine guide") };
            let settled = guide.iter().filter(|&&c| c & SETTLED != 0).count();
            assert!(settled as f64 > 0.9 * guide.len() as f64, "{settled} of {}", guide.len());
        }
    }

    /// A table of 2^15 outcomes or more keeps the coarse guide, with the same draws.
    #[test]
    fn a_table_too_large_for_fine_cells_draws_as_the_coarse_one() {
        let cdf: Vec<u32> =
            (1..=40_000u32).map(|i| (u64::from(i) * (1 << 32) / 40_000).min(u64::from(u32::MAX)) as u32).collect();
        let (coarse, fine) = (InverseCdf::from_thresholds(cdf.clone()), FineCdf::from_thresholds(cdf));
        assert!(matches!(fine, FineCdf::Coarse(_)));
        for u in (0..1u32 << 16).map(|i| i.wrapping_mul(65_537)).chain([0, u32::MAX]) {
            assert_eq!(fine.sample(u), coarse.sample(u), "u = {u}");
        }
    }

    #[test]
    fn draws_are_monotone_in_the_uniform() {
        let table = InverseCdf::new(&[0.3, 0.3, 0.0, 0.4]);
        let draws: Vec<usize> = (0..1000u32).map(|i| table.sample(i * (u32::MAX / 1000))).collect();
        assert!(draws.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(table.sample(u32::MAX), 3);
    }

    #[test]
    fn a_single_outcome_always_draws_it() {
        let table = InverseCdf::new(&[2.0]);
        assert_eq!((table.sample(0), table.sample(u32::MAX)), (0, 0));
    }
}
