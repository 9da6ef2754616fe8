//! Walker's alias method (Vose's construction) for a finite distribution.
//!
//! One 64-bit uniform r per draw: the column is the high word of r·n (128-bit
//! product) and the low word, uniform on its grid, decides between the column and
//! its alias against a 64-bit threshold. Column bias is at most n/2^64 and the
//! threshold's rounding 2^-64 per column, far below any Monte Carlo error.

/// A distribution over `0..n` ready for O(1) sampling.
#[derive(Debug, Clone)]
pub struct AliasTable {
    threshold: Vec<u64>,
    alias: Vec<u32>,
}

impl AliasTable {
    /// Builds the table from weights (not necessarily normalised, all ≥ 0, sum > 0).
    pub fn new(weights: &[f64]) -> AliasTable {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| scaled[i] < 1.0);
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let mut threshold = vec![u64::MAX; n];
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            threshold[s] = to_threshold(scaled[s]);
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        AliasTable { threshold, alias }
    }

    /// The outcome for one 64-bit uniform.
    #[inline(always)]
    pub fn sample(&self, r: u64) -> usize {
        let product = u128::from(r) * self.threshold.len() as u128;
        let column = (product >> 64) as usize;
        if (product as u64) < self.threshold[column] { column } else { self.alias[column] as usize }
    }
}

/// P in [0, 1] as a 64-bit threshold; 1 (and rounding above it) keeps the column.
fn to_threshold(p: f64) -> u64 {
    if p >= 1.0 { u64::MAX } else { (p * 18_446_744_073_709_551_616.0) as u64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sweeping r over an even grid must reproduce the weights to grid precision.
    #[test]
    fn an_even_sweep_of_uniforms_reproduces_the_weights() {
        let weights = [0.1, 0.0, 0.45, 0.2, 0.25];
        let table = AliasTable::new(&weights);
        let steps = 1u64 << 20;
        let mut counts = [0u64; 5];
        for i in 0..steps {
            counts[table.sample(i.wrapping_mul(u64::MAX / steps))] += 1;
        }
        for (c, w) in counts.iter().zip(weights) {
            assert!((*c as f64 / steps as f64 - w).abs() < 1e-4, "{counts:?}");
        }
        assert_eq!(counts[1], 0);
    }
}
