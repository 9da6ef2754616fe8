//! Many small inverse-CDF tables in one contiguous array, one per bin of the
//! swing z, so that a vote touches one or two cache lines of its bin.
//!
//! Each table holds F(m)·2^32 for counts m = 0, 1, …; trailing entries below
//! [`NEGLIGIBLE`] are dropped (below the 2^-32 resolution of the thresholds).
//! Draws search linearly from 0, which is quick because the counts tabulated
//! this way are small, and monotone in the uniform.

/// Trailing table entries below this are dropped.
pub const NEGLIGIBLE: f64 = 1e-13;

/// The bins cover z in [−Z_MAX, Z_MAX); |z| ≥ 6 has probability 2e-9.
pub const Z_MAX: f64 = 6.0;

/// Equal bins of the swing z over [−Z_MAX, Z_MAX).
#[derive(Debug, Clone, Copy)]
pub struct ZGrid {
    width: f64,
    bins: usize,
}

impl ZGrid {
    /// Bins narrow enough that `rate`·width ≤ `step`, but at most `max` of them.
    pub fn new(rate: f64, step: f64, max: usize) -> ZGrid {
        let bins = ((2.0 * Z_MAX * rate / step).ceil() as usize).clamp(1, max);
        ZGrid { width: 2.0 * Z_MAX / bins as f64, bins }
    }

    /// The number of bins.
    pub fn bins(&self) -> usize {
        self.bins
    }

    /// The width of a bin (tests place z on bin edges with it).
    #[cfg(test)]
    pub fn width(&self) -> f64 {
        self.width
    }

    /// The lower and upper edges of bin j.
    pub fn edges(&self, j: usize) -> (f64, f64) {
        (-Z_MAX + j as f64 * self.width, -Z_MAX + (j + 1) as f64 * self.width)
    }

    /// The bin holding z, if z is inside the grid.
    #[inline]
    pub fn bin(&self, z: f64) -> Option<usize> {
        let position = (z + Z_MAX) / self.width;
        (position >= 0.0 && (position as usize) < self.bins).then_some(position as usize)
    }
}

/// Two independent uniforms from one 64-bit draw: 32 bits for a table lookup and
/// a double strictly inside (0, 1) for a squeeze or an acceptance test.
#[inline]
pub fn two_uniforms(r: u64) -> (u32, f64) {
    (r as u32, ((r >> 32) as f64 + 0.5) * (1.0 / 4_294_967_296.0))
}

/// Per-bin inverse-CDF tables of small counts.
#[derive(Debug, Clone, Default)]
pub struct Binned {
    /// Bin j's table is `cdf[start[j]..start[j + 1]]`.
    start: Vec<u32>,
    cdf: Vec<u32>,
}

impl Binned {
    /// No bins yet.
    pub fn new() -> Binned {
        Binned { start: vec![0], cdf: Vec::new() }
    }

    /// Appends a bin for the weights `law` of counts 0, 1, …; returns how many
    /// entries were kept.
    pub fn push(&mut self, law: &[f64]) -> usize {
        let last = law.iter().rposition(|&p| p >= NEGLIGIBLE).unwrap_or(0);
        let total: f64 = law[..=last].iter().sum();
        let mut acc = 0.0;
        for p in &law[..=last] {
            acc += p / total;
            self.cdf.push(if acc >= 1.0 { u32::MAX } else { (acc * 4_294_967_296.0) as u32 });
        }
        self.start.push(self.cdf.len() as u32);
        last + 1
    }

    /// Where bin j's entries start in the flat order of all entries pushed.
    #[inline]
    pub fn offset(&self, j: usize) -> usize {
        self.start[j] as usize
    }

    /// The smallest count m with F(m) > u in bin j.
    #[inline]
    pub fn draw(&self, j: usize, u: u32) -> usize {
        let (start, end) = (self.start[j] as usize, self.start[j + 1] as usize);
        let mut i = start;
        while i + 1 < end && self.cdf[i] <= u {
            i += 1;
        }
        i - start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bin_inverts_its_own_law() {
        let mut b = Binned::new();
        assert_eq!(b.push(&[0.5, 0.5, 1e-20]), 2);
        b.push(&[0.0, 1.0]);
        assert_eq!((b.draw(0, 0), b.draw(0, u32::MAX / 2 + 1), b.draw(0, u32::MAX)), (0, 1, 1));
        assert_eq!((b.draw(1, 0), b.offset(1)), (1, 2));
        assert_eq!(b.offset(2), 4);
    }
}
