//! A table of probabilities over (yes, other) counts, and 1-D convolution.

/// Probabilities over (yes, other) with yes ≤ `max_yes` and other ≤ `max_other`.
#[derive(Debug, Clone, PartialEq)]
pub struct Joint {
    max_other: usize,
    p: Vec<f64>,
}

impl Joint {
    /// A table of zeros.
    pub fn zeros(max_yes: usize, max_other: usize) -> Joint {
        Joint { max_other, p: vec![0.0; (max_yes + 1) * (max_other + 1)] }
    }

    /// The table of a law over yes alone (other always 0).
    pub fn of_yes(law: Vec<f64>) -> Joint {
        Joint { max_other: 0, p: law }
    }

    fn index(&self, yes: usize, other: usize) -> usize {
        yes * (self.max_other + 1) + other
    }

    /// The largest yes count the table holds.
    pub fn max_yes(&self) -> usize {
        self.p.len() / (self.max_other + 1) - 1
    }

    /// The largest other count the table holds.
    pub fn max_other(&self) -> usize {
        self.max_other
    }

    /// P(yes, other).
    pub fn get(&self, yes: usize, other: usize) -> f64 {
        self.p[self.index(yes, other)]
    }

    /// Sets P(yes, other).
    pub fn set(&mut self, yes: usize, other: usize, value: f64) {
        let i = self.index(yes, other);
        self.p[i] = value;
    }

    /// Adds to P(yes, other).
    pub fn add(&mut self, yes: usize, other: usize, value: f64) {
        let i = self.index(yes, other);
        self.p[i] += value;
    }

    /// Multiplies every entry by `factor`.
    pub fn scale(&mut self, factor: f64) {
        self.p.iter_mut().for_each(|v| *v *= factor);
    }

    /// The total mass.
    pub fn total(&self) -> f64 {
        self.p.iter().sum()
    }

    /// `self·w + other·(1 − w)`; both tables must have the same shape.
    pub fn mix(&self, w: f64, other: &Joint) -> Joint {
        let p = self.p.iter().zip(&other.p).map(|(a, b)| a * w + b * (1.0 - w)).collect();
        Joint { max_other: self.max_other, p }
    }

    /// The table after one more member who falls into (yes, other, neither) with `q`;
    /// yes grows by one, and other too when `with_other` (else other folds into neither).
    pub fn with_member(&self, q: [f64; 3], with_other: bool) -> Joint {
        let grow = usize::from(with_other);
        let mut out = Joint::zeros(self.max_yes() + 1, self.max_other + grow);
        let stay = if with_other { q[2] } else { q[1] + q[2] };
        for y in 0..=self.max_yes() {
            for o in 0..=self.max_other {
                let v = self.get(y, o);
                out.add(y + 1, o, v * q[0]);
                out.add(y, o + grow, v * q[1] * grow as f64);
                out.add(y, o, v * stay);
            }
        }
        out
    }

    /// The distribution of yes alone.
    pub fn yes_marginal(&self) -> Vec<f64> {
        self.p.chunks(self.max_other + 1).map(|row| row.iter().sum()).collect()
    }

    /// The distribution of s = wy·yes − wo·other, indexed by s + wo·max_other.
    pub fn statistic(&self, wy: usize, wo: usize) -> Vec<f64> {
        let mut out = vec![0.0; wy * self.max_yes() + wo * self.max_other + 1];
        for y in 0..=self.max_yes() {
            for o in 0..=self.max_other {
                out[wy * y + wo * (self.max_other - o)] += self.get(y, o);
            }
        }
        out
    }
}

/// The distribution of the sum of two independent counts. Exact zeros (the
/// underflowed ends of a large bloc's law, and the gaps of a statistic whose
/// yes weight is large, such as 63·yes − other) are skipped: the result is the
/// same to the bit, in time proportional to the product of the nonzero counts.
/// Compiled twice ([`multiversion`]): with AVX2 (chosen at run time where the
/// CPU has it, about 1.5 times faster) and without. Either adds the same
/// products in the same order (no fused multiply-add), so the bits are the same.
#[multiversion::multiversion(targets("x86_64+avx2"))]
pub fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut out = vec![0.0; a.len() + b.len() - 1];
    let runs = nonzero_runs(b);
    for (i, &x) in a.iter().enumerate() {
        if x == 0.0 {
            continue;
        }
        for &(start, end) in &runs {
            for (o, &y) in out[i + start..].iter_mut().zip(&b[start..end]) {
                *o += x * y;
            }
        }
    }
    out
}

/// The runs [start, end) of `b` outside which it is zero, split at gaps of at
/// least [`GAP`] zeros.
fn nonzero_runs(b: &[f64]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, _) in b.iter().enumerate().filter(|(_, y)| **y != 0.0) {
        match runs.last_mut() {
            Some(run) if i - run.1 < GAP => run.1 = i + 1,
            _ => runs.push((i, i + 1)),
        }
    }
    runs
}

/// The zeros that split a run in [`convolve`] (shorter gaps cost less than a new run).
const GAP: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparse_law_convolves_as_the_dense_sum() {
        let mut b = vec![0.0; 200];
        [(3, 0.1), (5, 0.2), (70, 0.3), (71, 0.15), (199, 0.25)].iter().for_each(|&(i, p)| b[i] = p);
        let a = [0.5, 0.0, 0.25, 0.25];
        let mut dense = vec![0.0; 203];
        for (i, x) in a.iter().enumerate() {
            for (j, y) in b.iter().enumerate() {
                dense[i + j] += x * y;
            }
        }
        assert_eq!(convolve(&a, &b), dense);
        assert_eq!(nonzero_runs(&b), vec![(3, 6), (70, 72), (199, 200)]);
    }

    /// The SIMD clone (chosen at run time where the CPU has AVX2) adds the same
    /// products in the same order as a scalar loop: the same bits.
    #[test]
    fn wide_laws_convolve_to_the_bits_of_a_scalar_loop() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut law = |n: usize| -> Vec<f64> {
            (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 11) as f64 / (1u64 << 53) as f64
                })
                .collect()
        };
        let (a, b) = (law(301), law(777));
        let mut scalar = vec![0.0; a.len() + b.len() - 1];
        for (i, x) in a.iter().enumerate() {
            for (j, y) in b.iter().enumerate() {
                scalar[i + j] += x * y;
            }
        }
        let fast = convolve(&a, &b);
        assert!(fast.iter().zip(&scalar).all(|(f, s)| f.to_bits() == s.to_bits()));
    }

    #[test]
    fn convolution_of_two_coins_is_binomial() {
        assert_eq!(convolve(&[0.5, 0.5], &[0.5, 0.5]), vec![0.25, 0.5, 0.25]);
    }

    #[test]
    fn zero_ends_are_skipped_but_keep_their_places() {
        assert_eq!(convolve(&[0.0, 0.5, 0.5], &[0.0, 0.0, 1.0, 0.0]), vec![0.0, 0.0, 0.0, 0.5, 0.5, 0.0]);
        assert_eq!(convolve(&[1.0], &[0.0, 0.0]), vec![0.0, 0.0]);
    }

    #[test]
    fn statistic_places_yes_minus_other_with_an_offset() {
        let mut j = Joint::zeros(1, 1);
        j.set(1, 0, 0.25);
        j.set(0, 1, 0.75);
        assert_eq!(j.statistic(1, 1), vec![0.75, 0.0, 0.25]);
    }
}
