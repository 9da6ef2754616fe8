//! The law of a sum of many independent counts by the fast Fourier transform,
//! for P(pass | z) under wide statistics (a fraction such as 1/64 of the votes
//! cast makes the statistic 63·yes − other, 64 times wider than the yes count).
//!
//! **Method.** Laws are kept from their first nonzero entry ([`Span`]). The
//! narrowest two are convolved directly (and their tails trimmed, as every
//! direct convolution of the engine is) while that costs less than one more
//! transform; the rest are transformed at a length N ≥ the sum of their
//! lengths, so the cyclic convolution is the linear one (nothing wraps round),
//! two real laws per complex transform, their spectra multiplied, and the
//! product transformed back. The transform is an iterative radix-2
//! Cooley–Tukey with every twiddle factor computed directly by `sin_cos`.
//!
//! **Error bound.** A radix-2 transform with accurate twiddles errs by at most
//! about 2·log₂N·ε·‖x‖₂·√N in ‖·‖₂ (Higham, *Accuracy and Stability of Numerical
//! Algorithms*, §24.1). Each law has ‖a‖₁ = 1, so every spectrum is bounded by 1
//! and the product of m spectra errs by at most 2·log₂N·ε·√N·Σ‖a_i‖₂ + m·ε·√N
//! in ‖·‖₂; after the inverse transform (another 2·log₂N·ε) the law errs in
//! ‖·‖₁ ≤ √N·‖·‖₂ by at most e = √N·ε·(2·log₂N·(Σ‖a_i‖₂ + 1) + m), and so does any
//! sum of its entries weighted within [0, 1], such as P(pass | z). [`Spectral::error`]
//! returns e for the caller's records: 3e-12 to 7e-12 on the benchmark
//! chambers of 1,000 and 3,000 cohesive seats under a majority of votes cast,
//! against about 1e-15 observed (the rounding errors do not all align). Entries
//! may come out as tiny negatives or above their true values by up to e; a
//! caller that needs a probability clamps the sum, not the entries.

use super::TAIL;
use super::span::Span;

/// The law of a sum and the bound on its error in ‖·‖₁ (module doc).
pub(super) struct Spectral {
    pub law: Span,
    pub error: f64,
}

/// Multiply–adds of one complex transform of length `n`, in the units of a
/// direct convolution's multiply–add (a butterfly is about four of them).
fn transform_cost(n: usize) -> f64 {
    2.0 * n as f64 * (n.max(2) as f64).log2()
}

/// The law of the sum of independent counts with laws `laws` (module doc);
/// `merge` false transforms them all, however narrow (for cross-checks).
pub(super) fn sum(mut laws: Vec<Span>, merge: bool) -> Spectral {
    if laws.is_empty() {
        return Spectral { law: Span { first: 0, p: vec![1.0] }, error: 0.0 };
    }
    if merge {
        merge_narrow(&mut laws);
        if laws.len() == 1 {
            return Spectral { law: laws.pop().expect("one law"), error: 0.0 };
        }
    }
    by_transform(&laws)
}

/// Convolves the two laws with the fewest nonzero entries directly while that
/// costs less than one transform of all the laws.
fn merge_narrow(laws: &mut Vec<Span>) {
    laws.sort_by_cached_key(|l| std::cmp::Reverse(l.nonzero()));
    while let [.., a, b] = &laws[..] {
        let length: usize = laws.iter().map(|l| l.p.len()).sum();
        if (a.nonzero() * b.nonzero()) as f64 > transform_cost(length.next_power_of_two()) {
            return;
        }
        let merged = b.plus(a);
        laws.truncate(laws.len() - 2);
        let nonzero = merged.nonzero();
        let at = laws.partition_point(|l| l.nonzero() > nonzero);
        laws.insert(at, merged);
    }
}

/// The convolution of `laws` by transforms of length N: the whole linear
/// convolution, or the window of [`window`] when that is shorter.
fn by_transform(laws: &[Span]) -> Spectral {
    let first: usize = laws.iter().map(|l| l.first).sum();
    let linear = laws.iter().map(|l| l.p.len()).sum::<usize>() - (laws.len() - 1);
    let (start, n, cut) = match window(laws) {
        Some((start, length)) if length.next_power_of_two() < linear.next_power_of_two() => {
            let n = length.next_power_of_two();
            // Centre the window in the transform's length.
            let start = start.saturating_sub((n - length) / 2).max(first);
            (start, n, 4.0 * TAIL)
        }
        _ => (first, linear.next_power_of_two(), 0.0),
    };
    let twiddles = Twiddles::new(n);
    let mut product = vec![(1.0, 0.0); n];
    for pair in laws.chunks(2) {
        let mut x = vec![(0.0, 0.0); n];
        pair[0].p.iter().enumerate().for_each(|(i, &a)| x[i % n].0 += a);
        if let Some(b) = pair.get(1) {
            b.p.iter().enumerate().for_each(|(i, &b)| x[i % n].1 += b);
        }
        twiddles.transform(&mut x);
        for k in 0..n {
            let (xk, xm) = (x[k], conj(x[(n - k) % n]));
            let a = scale(add(xk, xm), 0.5);
            // (x_k − conj x_{n−k}) / 2i
            let d = sub(xk, xm);
            let b = if pair.len() == 2 { (d.1 * 0.5, -d.0 * 0.5) } else { (1.0, 0.0) };
            product[k] = mul(product[k], mul(a, b));
        }
    }
    product.iter_mut().for_each(|p| *p = conj(*p));
    twiddles.transform(&mut product);
    let length = if cut > 0.0 { n } else { linear };
    let p: Vec<f64> = (start..start + length).map(|a| product[(a - first) % n].0 / n as f64).collect();
    let norms: f64 = laws.iter().map(|l| l.p.iter().map(|x| x * x).sum::<f64>().sqrt()).sum();
    let log = (n as f64).log2();
    let error = (n as f64).sqrt() * f64::EPSILON * (2.0 * log * (norms + 1.0) + laws.len() as f64) + cut;
    Spectral { law: Span { first: start, p }, error }
}

/// A window [start, start + length) of the sum of `laws` outside which it has
/// mass at most [`TAIL`] on each side, by Chernoff's bound
/// P(S ≥ μ + h) ≤ Π_b E e^{λ(S_b − μ_b)}·e^{−λh} with λ = h/σ² (and its mirror
/// image below), h grown from 8σ by a fifth until the bound holds; `None` when
/// that is no shorter than the whole sum or the moment generating function
/// would overflow.
fn window(laws: &[Span]) -> Option<(usize, usize)> {
    let moments: Vec<(f64, f64)> = laws.iter().map(|l| moments(&l.p)).collect();
    let mean: f64 = laws.iter().zip(&moments).map(|(l, m)| l.first as f64 + m.0).sum();
    let sd = moments.iter().map(|m| m.1).sum::<f64>().sqrt();
    let linear = laws.iter().map(|l| l.p.len()).sum::<usize>() as f64;
    let log_mgf = |lambda: f64| -> Option<f64> {
        let mut total = 0.0;
        for (law, &(centre, _)) in laws.iter().zip(&moments) {
            let mut sum = 0.0;
            for (i, &p) in law.p.iter().enumerate() {
                let exponent = lambda * (i as f64 - centre);
                if exponent > 700.0 {
                    return None;
                }
                sum += p * exponent.exp();
            }
            total += sum.ln();
        }
        Some(total)
    };
    let reach = |side: f64| -> Option<f64> {
        let mut h = 8.0 * sd;
        while h < linear {
            let lambda = side * h / (sd * sd);
            if log_mgf(lambda)? - lambda.abs() * h <= TAIL.ln() {
                return Some(h);
            }
            h *= 1.2;
        }
        None
    };
    if sd == 0.0 || !sd.is_finite() {
        return None;
    }
    let (low, high) = (reach(-1.0)?, reach(1.0)?);
    let start = (mean - low).floor().max(0.0) as usize;
    Some((start, (mean + high).ceil() as usize + 1 - start))
}

/// The mean and variance of the index of `law` (a law of total mass about 1).
fn moments(law: &[f64]) -> (f64, f64) {
    let total: f64 = law.iter().sum();
    let mean = law.iter().enumerate().map(|(i, p)| i as f64 * p).sum::<f64>() / total;
    let variance = law.iter().enumerate().map(|(i, p)| (i as f64 - mean).powi(2) * p).sum::<f64>() / total;
    (mean, variance)
}

type Complex = (f64, f64);

fn add(a: Complex, b: Complex) -> Complex {
    (a.0 + b.0, a.1 + b.1)
}

fn sub(a: Complex, b: Complex) -> Complex {
    (a.0 - b.0, a.1 - b.1)
}

fn mul(a: Complex, b: Complex) -> Complex {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

fn conj(a: Complex) -> Complex {
    (a.0, -a.1)
}

fn scale(a: Complex, s: f64) -> Complex {
    (a.0 * s, a.1 * s)
}

/// e^{−2πij/n} for j < n/2, each by one `sin_cos` (no recurrence, so each is
/// within an ulp or two).
struct Twiddles {
    n: usize,
    w: Vec<Complex>,
}

impl Twiddles {
    fn new(n: usize) -> Self {
        let w = (0..n / 2)
            .map(|j| {
                let (s, c) = (-2.0 * std::f64::consts::PI * j as f64 / n as f64).sin_cos();
                (c, s)
            })
            .collect();
        Twiddles { n, w }
    }

    /// The discrete Fourier transform X_k = Σ x_j e^{−2πijk/n} in place.
    fn transform(&self, x: &mut [Complex]) {
        let n = self.n;
        let bits = n.trailing_zeros();
        if n > 1 {
            for i in 0..n {
                let j = i.reverse_bits() >> (usize::BITS - bits);
                if i < j {
                    x.swap(i, j);
                }
            }
        }
        let mut len = 2;
        while len <= n {
            let (half, stride) = (len / 2, n / len);
            for block in x.chunks_exact_mut(len) {
                let (low, high) = block.split_at_mut(half);
                for (j, (u, v)) in low.iter_mut().zip(high.iter_mut()).enumerate() {
                    let t = mul(*v, self.w[j * stride]);
                    *v = sub(*u, t);
                    *u = add(*u, t);
                }
            }
            len *= 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::span::binomial;
    use crate::model::convolve;

    #[test]
    fn the_transform_of_a_pulse_is_a_pure_wave() {
        let n = 16;
        let mut x = vec![(0.0, 0.0); n];
        x[3] = (1.0, 0.0);
        Twiddles::new(n).transform(&mut x);
        for (k, c) in x.iter().enumerate() {
            let angle = -2.0 * std::f64::consts::PI * (3 * k) as f64 / n as f64;
            assert!((c.0 - angle.cos()).abs() < 1e-15 && (c.1 - angle.sin()).abs() < 1e-15, "{k}: {c:?}");
        }
    }

    /// The total variation between `fast` and the law `direct` (indexed from 0).
    fn distance(fast: &Span, direct: &[f64]) -> f64 {
        let mut fast_law = vec![0.0; direct.len().max(fast.first + fast.p.len())];
        fast_law[fast.first..fast.first + fast.p.len()].copy_from_slice(&fast.p);
        fast_law.iter().zip(direct.iter().chain(std::iter::repeat(&0.0))).map(|(a, b)| (a - b).abs()).sum()
    }

    #[test]
    fn the_sum_of_many_laws_by_transform_is_the_direct_convolution() {
        // Sparse laws like a wide statistic's, at scattered first entries.
        let laws: Vec<Span> = (0..7)
            .map(|i| {
                let mut p = vec![0.0; 64 * (i + 3) + 2];
                for (y, b) in binomial(i + 3, 0.3 + 0.05 * i as f64).iter().enumerate() {
                    p[64 * y] += 0.9 * b;
                    p[64 * y + 1] += 0.1 * b;
                }
                Span { first: 5 * i, p }
            })
            .collect();
        let mut direct = laws.iter().skip(1).fold(laws[0].p.clone(), |acc, l| convolve(&acc, &l.p));
        direct.splice(0..0, std::iter::repeat_n(0.0, 5 * (1..7).sum::<usize>()));
        let fast = by_transform(&laws);
        let error = distance(&fast.law, &direct);
        assert!(error < 1e-14 && error <= fast.error, "{error} (bound {})", fast.error);
    }

    #[test]
    fn a_sum_much_narrower_than_its_laws_together_is_transformed_in_a_window() {
        let laws: Vec<Span> = (0..4).map(|_| Span::new(&binomial(3000, 0.5))).collect();
        let mut direct = laws.iter().skip(1).fold(laws[0].p.clone(), |acc, l| convolve(&acc, &l.p));
        direct.splice(0..0, std::iter::repeat_n(0.0, 4 * laws[0].first));
        let fast = by_transform(&laws);
        assert!(fast.law.p.len() <= 2048, "a window of {} entries, not 16384", fast.law.p.len());
        let error = distance(&fast.law, &direct);
        assert!(error < 1e-14 && error <= fast.error, "{error} (bound {})", fast.error);
    }

    #[test]
    fn narrow_laws_are_merged_directly_and_wide_ones_by_transform() {
        let narrow = vec![Span::new(&binomial(4, 0.5)), Span::new(&binomial(5, 0.2))];
        assert_eq!(sum(narrow, true).error, 0.0, "two narrow laws cost less directly");
        let wide: Vec<Span> = (0..4).map(|_| Span::new(&binomial(3000, 0.5))).collect();
        let fast = sum(wide, true);
        assert!(fast.error > 0.0, "four wide laws go by transform");
        let mean: f64 = fast.law.p.iter().enumerate().map(|(i, p)| (fast.law.first + i) as f64 * p).sum();
        assert!((mean - 6000.0).abs() < 1e-9, "{mean}");
    }
}
