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
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        let cdf: Vec<u32> = weights
            .iter()
            .map(|w| {
                acc += w / total;
                if acc >= 1.0 { u32::MAX } else { (acc * 4_294_967_296.0) as u32 }
            })
            .collect();
        let m = (cdf.len() * GUIDE_PER_OUTCOME).next_power_of_two();
        let shift = 32 - m.trailing_zeros();
        let mut guide = Vec::with_capacity(m);
        let mut i = 0usize;
        for j in 0..m as u64 {
            let floor = if shift == 32 { 0 } else { (j << shift) as u32 };
            while i + 1 < cdf.len() && cdf[i] <= floor {
                i += 1;
            }
            guide.push(i as u32);
        }
        InverseCdf { cdf, guide }
    }

    /// The outcome for one 32-bit uniform.
    #[inline(always)]
    pub fn sample(&self, u: u32) -> usize {
        let bits = self.guide.len().trailing_zeros();
        let j = if bits == 0 { 0 } else { (u >> (32 - bits)) as usize };
        let last = self.cdf.len() - 1;
        let mut i = self.guide[j] as usize;
        while i < last && self.cdf[i] <= u {
            i += 1;
        }
        i
    }
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
