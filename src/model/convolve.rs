//! 1-D convolution: the law of the sum of two independent counts.
//!
//! **Method.** Direct sums, out[k] = Σᵢ a[i]·b[k − i], over the runs of `b`
//! outside which it is zero (split at gaps of [`GAP`] zeros or more), so the
//! underflowed ends of a large bloc's law and the gaps of a statistic whose yes
//! weight is large (such as 63·yes − other) cost nothing. The entries of `a` go
//! four at a time: each out[k] takes the four products a[i]·b[k − i], …,
//! a[i + 3]·b[k − i − 3] in that order before the next four, so every out[k]
//! adds the same products in the same order (increasing i) as the one-at-a-time
//! loop, with a quarter of the loads and stores of `out`.
//!
//! **Error.** Each entry is a sum of non-negative products, so its relative
//! error is at most (terms)·ε; no fused multiply-add is used, so the bits are
//! the same on every machine. Compiled twice ([`multiversion`]): with AVX2
//! (chosen at run time where the CPU has it) and without; both give the same
//! bits as the plain scalar loop (tested).

/// The zeros that split a run (shorter gaps cost less than a new run).
const GAP: usize = 16;

/// The distribution of the sum of two independent counts (module doc); exact
/// zeros are skipped, so the result is the same to the bit in time
/// proportional to the product of the nonzero counts.
#[multiversion::multiversion(targets("x86_64+avx2"))]
pub fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut out = vec![0.0; a.len() + b.len() - 1];
    let runs = nonzero_runs(b);
    let blocked = a.len() / 4 * 4;
    for i in (0..blocked).step_by(4) {
        let x = [a[i], a[i + 1], a[i + 2], a[i + 3]];
        if x == [0.0; 4] {
            continue;
        }
        for &run in &runs {
            add_four(&mut out[i..], x, b, run);
        }
    }
    for (i, &x) in a.iter().enumerate().skip(blocked).filter(|(_, x)| **x != 0.0) {
        for &(start, end) in &runs {
            out[i + start..].iter_mut().zip(&b[start..end]).for_each(|(o, &y)| *o += x * y);
        }
    }
    out
}

/// Adds x[d]·b[j] to out[j + d] for j in the run [start, end) and d = 0..4,
/// each out entry taking its products in order of d. A product whose b index
/// falls outside the run is skipped (it is zero, and adding +0 to a
/// non-negative entry changes no bit).
#[inline(always)]
fn add_four(out: &mut [f64], x: [f64; 4], b: &[f64], (start, end): (usize, usize)) {
    let edge = |out: &mut [f64], k: usize| {
        let mut o = out[k];
        for (d, &xd) in x.iter().enumerate() {
            if k >= start + d && k < end + d {
                o += xd * b[k - d];
            }
        }
        out[k] = o;
    };
    if end - start < 4 {
        // Short runs (a named member's two-point law): each product in turn, d by d,
        // which also gives every out entry its products in order of d.
        for (d, &xd) in x.iter().enumerate() {
            out[start + d..end + d].iter_mut().zip(&b[start..end]).for_each(|(o, &y)| *o += xd * y);
        }
        return;
    }
    (start..start + 3).for_each(|k| edge(out, k));
    let core = out[start + 3..end].iter_mut();
    let (b0, b1, b2, b3) = (&b[start + 3..end], &b[start + 2..end - 1], &b[start + 1..end - 2], &b[start..end - 3]);
    for ((((o, &y0), &y1), &y2), &y3) in core.zip(b0).zip(b1).zip(b2).zip(b3) {
        *o = *o + x[0] * y0 + x[1] * y1 + x[2] * y2 + x[3] * y3;
    }
    (end..end + 3).for_each(|k| edge(out, k));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain loop: every product, in order of increasing i.
    fn scalar(a: &[f64], b: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; a.len() + b.len() - 1];
        for (i, x) in a.iter().enumerate() {
            for (j, y) in b.iter().enumerate() {
                out[i + j] += x * y;
            }
        }
        out
    }

    fn same_bits(x: &[f64], y: &[f64]) -> bool {
        x.len() == y.len() && x.iter().zip(y).all(|(f, s)| f.to_bits() == s.to_bits())
    }

    /// Uniforms from a xorshift, with `zeros` of every 8 entries set to 0 in runs.
    fn law(state: &mut u64, n: usize, zeros: u64) -> Vec<f64> {
        (0..n)
            .map(|i| {
                *state ^= *state << 13;
                *state ^= *state >> 7;
                *state ^= *state << 17;
                let u = (*state >> 11) as f64 / (1u64 << 53) as f64;
                if (i as u64 / 20) % 8 < zeros { 0.0 } else { u }
            })
            .collect()
    }

    #[test]
    fn a_sparse_law_convolves_as_the_dense_sum() {
        let mut b = vec![0.0; 200];
        [(3, 0.1), (5, 0.2), (70, 0.3), (71, 0.15), (199, 0.25)].iter().for_each(|&(i, p)| b[i] = p);
        let a = [0.5, 0.0, 0.25, 0.25, 0.125, 0.0625];
        assert!(same_bits(&convolve(&a, &b), &scalar(&a, &b)));
        assert!(same_bits(&convolve(&b, &a), &scalar(&b, &a)));
        assert_eq!(nonzero_runs(&b), vec![(3, 6), (70, 72), (199, 200)]);
    }

    /// The SIMD clone (chosen at run time where the CPU has AVX2) and the blocks
    /// of four add the same products in the same order as a scalar loop: the
    /// same bits, for every length modulo 4, dense or with runs of zeros.
    #[test]
    fn laws_of_every_shape_convolve_to_the_bits_of_a_scalar_loop() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for (n, m, zeros) in [(301, 777, 0), (777, 301, 0), (1, 9, 0), (5, 2, 0), (6, 3, 0), (7, 4, 0), (300, 500, 3)] {
            let (a, b) = (law(&mut state, n, zeros), law(&mut state, m, zeros));
            assert!(same_bits(&convolve(&a, &b), &scalar(&a, &b)), "{n} × {m}, {zeros} of 8 blocks zero");
        }
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
}
