//! A bloc's law entries e^(a + b + d) as products of three factors, each split
//! once into a mantissa and a power of two, in a loop the compiler vectorises.
//!
//! **Method.** A log probability v of a table is split as e^v = m·2^n:
//! Cody–Waite, n = round(v/ln 2) by adding and subtracting 1.5·2^52,
//! r = (v − n·ln2_hi) − n·ln2_lo with ln2_hi of 32 significant bits (n·ln2_hi
//! and the first subtraction exact for |n| < 2^21, |v| < 1.4e6, which covers the
//! log-factorials of 100,000 seats; beyond, r is off by at most |v|·2^-53, the
//! rounding of v itself), so |r| ≤ ln2/2 + 2^-40, and m = e^r in
//! [0.7, 1.42] by its Taylor polynomial of degree 13 (truncation below 5e-18
//! relative), evaluated by Estrin's scheme (pairs, then pairs of pairs by r², r⁴,
//! r⁸: a dependency chain of depth 5, not Horner's 26). An entry is then
//! (m_a·m_b)·m_d scaled by 2^(n_a + n_b + n_d), the power built from the
//! exponent's bits; exponents below −1020 (entries below 6e-307) give 0. No
//! fused multiply-add, no table, no branch: the row loops run four lanes wide
//! under AVX2 ([`multiversion`], chosen at run time) and two without, with the
//! same bits either way.
//!
//! **Error bound.** m is within 2 ulp of e^r (the reduction adds at most ½ ulp,
//! the polynomial's roundings about 1; the tests check 2 ulp against `f64::exp`),
//! so an entry is within 7 ulp (1.6e-15 relative) of e^(a + b + d) for the
//! doubles a, b, d, their sum taken exactly. (Rounding that sum first, as
//! `(a + b + d).exp()` does, costs up to about |a|·ε, the terms being
//! log-factorials that cancel: for a 3,000-seat bloc at cohesion 0.3 its law is
//! off by up to 5e-15 relative against an exact-sum reference, this one by 9e-16.)

/// 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer,
/// held in the low bits of the sum.
const SHIFTER: f64 = 6755399441055744.0;
/// ln 2 split as ln2_hi + ln2_lo, ln2_hi with its low 21 bits zero (fdlibm).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// Exponents below this give 0 (2^-1020 times a mantissa product below 2.9).
const LOWEST: f64 = -1020.0;
/// Exponents are clamped to this (an entry of a law is at most 1).
const HIGHEST: f64 = 1000.0;
/// 1/j! for j = 0..=13.
const TAYLOR: [f64; 14] = [
    1.0,
    1.0,
    0.5,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// e^v = m·2^n as (m, n), m in [0.7, 1.42] within 2 ulp, n an integer (as a
/// double); v = −∞ gives n = −∞.
#[inline(always)]
pub fn split(v: f64) -> (f64, f64) {
    let n = (v * std::f64::consts::LOG2_E + SHIFTER) - SHIFTER;
    (taylor((v - n * LN2_HI) - n * LN2_LO), n)
}

/// The Taylor polynomial of e^r of degree 13 by Estrin's scheme.
#[inline(always)]
fn taylor(r: f64) -> f64 {
    let c = &TAYLOR;
    let (r2, pair) = (r * r, |j: usize| c[j] + c[j + 1] * r);
    let r4 = r2 * r2;
    let low = (pair(0) + r2 * pair(2)) + r4 * (pair(4) + r2 * pair(6));
    let high = (pair(8) + r2 * pair(10)) + r4 * pair(12);
    low + (r4 * r4) * high
}

/// m·2^n for an integer n (as a double): 0 below 2^[`LOWEST`]; NaN for the
/// split of a NaN (its mantissa is NaN).
#[inline(always)]
fn scale(m: f64, n: f64) -> f64 {
    let n = if n > HIGHEST { HIGHEST } else { n };
    let power = (n + SHIFTER).to_bits().wrapping_add(1023u64.wrapping_sub(SHIFTER.to_bits())) << 52;
    // All ones where the result stands (NaN included), zero below LOWEST.
    let keep = ((n < LOWEST) as u64).wrapping_sub(1);
    f64::from_bits((m * f64::from_bits(power)).to_bits() & keep)
}

/// A table of log probabilities split by [`split`]: mantissas and exponents.
pub type Split<'a> = (&'a [f64], &'a [f64]);

/// One entry: (m_a·m_b)·m_d · 2^((n_a + n_b) + n_d).
#[inline(always)]
fn entry((ma, na): (f64, f64), mb: f64, nb: f64, md: f64, nd: f64) -> f64 {
    scale((ma * mb) * md, (na + nb) + nd)
}

/// `out[i] = e^(a + b[i] + d[i])` for each i (all of one length), from the
/// splits of a, b and d: a run of one row of a bloc's law.
#[multiversion::multiversion(targets("x86_64+avx2"))]
pub fn row(out: &mut [f64], a: (f64, f64), (mb, nb): Split, (md, nd): Split) {
    for ((((o, mb), nb), md), nd) in out.iter_mut().zip(mb).zip(nb).zip(md).zip(nd) {
        *o = entry(a, *mb, *nb, *md, *nd);
    }
}

/// `out[i] += e^(a + b[i] + d[i])`: [`row`] added in place.
#[multiversion::multiversion(targets("x86_64+avx2"))]
pub fn add_row(out: &mut [f64], a: (f64, f64), (mb, nb): Split, (md, nd): Split) {
    for ((((o, mb), nb), md), nd) in out.iter_mut().zip(mb).zip(nb).zip(md).zip(nd) {
        *o += entry(a, *mb, *nb, *md, *nd);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distance from `a` to `b` in units in the last place of `b`.
    fn ulps(a: f64, b: f64) -> f64 {
        let ulp = f64::from_bits(b.to_bits() + 1) - b;
        (a - b).abs() / ulp
    }

    /// x over [lo, hi] on an irregular grid of `n` points, ends included.
    fn grid(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
        (0..=n)
            .map(move |i| lo + (hi - lo) * ((i as f64 / n as f64) + 0.3 * (i as f64).sin() / n as f64).clamp(0.0, 1.0))
    }

    #[test]
    fn a_split_is_within_two_ulp_of_the_library_exp() {
        let mut worst: f64 = 0.0;
        for v in grid(-700.0, 700.0, 2_000_000).chain(grid(-1.0, 1.0, 200_000)).chain([0.0, -0.0, 1e-300, -1e-18]) {
            let (m, n) = split(v);
            assert!((0.7..1.42).contains(&m) && n == n.round(), "v = {v}: {m}, {n}");
            let d = ulps(m * 2f64.powi(n as i32), v.exp());
            assert!(d <= 2.0, "v = {v}: {m}·2^{n} vs {} ({d} ulp)", v.exp());
            worst = worst.max(d);
        }
        assert!(worst > 0.0, "the grid reaches inexact results");
    }

    #[test]
    fn a_split_of_a_large_log_probability_keeps_its_mantissa_exact() {
        // v = n·ln 2 + r with r small: the split must return n and e^r, however large n.
        for n in [-2_000_000.0, -1_441_000.0, -100_000.0, -1_025.0, 3.0] {
            for r in [-0.3, -1e-9, 0.0, 0.2] {
                let v = n * std::f64::consts::LN_2 + r;
                let (m, found) = split(v);
                assert_eq!(found, n, "v = {v}");
                // v's rounding moves r by up to ulp(v)/2; the mantissa follows it.
                let slack = f64::EPSILON * v.abs() + 4.0 * f64::EPSILON;
                assert!((m / r.exp() - 1.0).abs() <= slack, "v = {v}: {m} vs {}", r.exp());
            }
        }
    }

    #[test]
    fn scaling_is_exact_and_vanishes_below_the_lowest_exponent() {
        assert_eq!(LN2_HI + LN2_LO, std::f64::consts::LN_2);
        assert!(LN2_HI.to_bits().trailing_zeros() >= 21);
        assert_eq!(scale(1.5, -3.0), 0.1875);
        assert_eq!(scale(0.75, -1020.0), 0.75 * 2f64.powi(-1020));
        assert_eq!(scale(2.8, 0.0), 2.8);
        assert_eq!(scale(2.8, -1021.0), 0.0);
        assert_eq!(scale(1.0, f64::NEG_INFINITY), 0.0);
        assert_eq!(scale(f64::NAN, f64::NEG_INFINITY), 0.0, "log 0 in a table");
        let (m, n) = split(f64::NAN);
        assert!(scale(m, n).is_nan() && scale(f64::NAN, 0.0).is_nan(), "a NaN log stays NaN");
        assert_eq!(scale(1.0, 1e9), 2f64.powi(1000));
    }

    #[test]
    fn a_row_is_the_product_of_its_splits() {
        // Sums exact in binary, so that the library exp of the sum is a reference.
        let b: Vec<f64> = (0..1001).map(|i| -(i as f64) * 0.375).collect();
        let d: Vec<f64> = (0..1001).map(|i| -((i * 7 % 13) as f64) * 0.0625 - (i % 3) as f64).collect();
        let (mb, nb): (Vec<f64>, Vec<f64>) = b.iter().map(|&v| split(v)).unzip();
        let (md, nd): (Vec<f64>, Vec<f64>) = d.iter().map(|&v| split(v)).unzip();
        let mut out = vec![0.0; 1001];
        row(&mut out, split(-1.5), (&mb, &nb), (&md, &nd));
        for (i, &e) in out.iter().enumerate() {
            let want = (-1.5 + b[i] + d[i]).exp();
            assert!(want < 1e-300 || ulps(e, want) <= 8.0, "i = {i}: {e} vs {want}");
        }
        let mut added = vec![0.25; 1001];
        add_row(&mut added, split(-1.5), (&mb, &nb), (&md, &nd));
        assert!(added.iter().zip(&out).all(|(a, e)| *a == 0.25 + e));
    }
}
