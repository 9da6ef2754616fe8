//! A branch-free `exp` the compiler vectorises, and the row kernel of a bloc's
//! statistic built on it.
//!
//! **Method.** Cody–Waite: n = round(x/ln 2) by adding and subtracting
//! 1.5·2^52 (the sum's low bits hold n), r = (x − n·ln2_hi) − n·ln2_lo with
//! ln2_hi of 32 significant bits (n·ln2_hi and the first subtraction are exact
//! for |n| < 2^20), so |r| ≤ ln2/2 + 2^-40; e^r by its Taylor polynomial of
//! degree 13 in Horner form (truncation below 5e-18 relative); then 2·e^r is
//! scaled by 2^(n−1), built from n with integer operations on the bits (exact,
//! the result being normal). No fused multiply-add, no table, no branch: the
//! loop of [`exp_row`] runs four lanes wide under AVX2 ([`multiversion`],
//! chosen at run time) and two without, with the same bits either way.
//!
//! **Error bound.** For −708 ≤ x ≤ 709 the result is within 3 ulp of e^x (the
//! reduction adds at most ½ ulp, Horner's roundings at most 2 ulp; the tests
//! check 3 ulp against `f64::exp` across that range). Below −708 it returns 0,
//! an absolute error below e^-708 ≈ 3.3e-308 (the entries of a law this small
//! are far below what [`super::statistic`] keeps); above 709.78 +∞, and NaN
//! for NaN.

/// 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer,
/// held in the low bits of the sum.
const SHIFTER: f64 = 6755399441055744.0;
/// ln 2 split as ln2_hi + ln2_lo, ln2_hi with its low 21 bits zero (fdlibm).
const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
/// Below this the result is 0 (e^x would be subnormal).
const LOWEST: f64 = -708.0;
/// Arguments are clamped to this, where the result is already +∞.
const HIGHEST: f64 = 710.0;
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

/// e^x within 2 ulp for −708 ≤ x ≤ 709, 0 below −708 (see the module doc).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let x = if x > HIGHEST { HIGHEST } else { x };
    let t = x * std::f64::consts::LOG2_E + SHIFTER;
    let n = t - SHIFTER;
    let p = taylor((x - n * LN2_HI) - n * LN2_LO);
    // 2^(n − 1): n + 1022 in the exponent field, n read from t's low bits.
    let scale = f64::from_bits(t.to_bits().wrapping_add(1022u64.wrapping_sub(SHIFTER.to_bits())) << 52);
    // All ones where the result stands (NaN included), zero below LOWEST.
    let keep = 0u64.wrapping_sub(!(x < LOWEST) as u64);
    f64::from_bits(((p + p) * scale).to_bits() & keep)
}

/// The Taylor polynomial of e^r of degree 13 by Estrin's scheme (pairs, then
/// pairs of pairs by r², r⁴, r⁸): a dependency chain of depth 5 instead of
/// Horner's 26, so that a vector's chain does not stall the next.
#[inline(always)]
fn taylor(r: f64) -> f64 {
    let c = &TAYLOR;
    let (r2, pair) = (r * r, |j: usize| c[j] + c[j + 1] * r);
    let r4 = r2 * r2;
    let low = (pair(0) + r2 * pair(2)) + r4 * (pair(4) + r2 * pair(6));
    let high = (pair(8) + r2 * pair(10)) + r4 * pair(12);
    low + (r4 * r4) * high
}

/// `out[m] = exp((base + b[m]) + d[m])` for each m (the three slices of one
/// length): one row of a bloc's law, from its log-probability tables.
#[multiversion::multiversion(targets("x86_64+avx2"))]
pub fn exp_row(out: &mut [f64], base: f64, b: &[f64], d: &[f64]) {
    for ((o, b), d) in out.iter_mut().zip(b).zip(d) {
        *o = exp(base + b + d);
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
        (0..=n).map(move |i| lo + (hi - lo) * ((i as f64 / n as f64) + 0.3 * (i as f64).sin() / n as f64).clamp(0.0, 1.0))
    }

    #[test]
    fn exp_is_within_three_ulp_of_the_library_exp_from_minus_708_to_709() {
        let mut worst: f64 = 0.0;
        for x in grid(-708.0, 709.0, 2_000_000).chain(grid(-1.0, 1.0, 200_000)).chain([0.0, -0.0, 1e-300, -1e-18]) {
            let d = ulps(exp(x), x.exp());
            assert!(d <= 3.0, "x = {x}: {} vs {} ({d} ulp)", exp(x), x.exp());
            worst = worst.max(d);
        }
        assert!(worst > 0.0, "the grid reaches inexact results");
        eprintln!("WORST {worst}");
    }

    #[test]
    fn exp_is_zero_where_the_library_exp_is_below_e_to_the_minus_708() {
        for x in grid(-745.2, -708.0 - 1e-9, 100_000).chain([-1e300, f64::NEG_INFINITY]) {
            assert_eq!(exp(x), 0.0, "x = {x}");
            assert!(x.exp() < 3.31e-308);
        }
        assert!(exp(-708.0) > 0.0);
    }

    #[test]
    fn exp_overflows_to_infinity_and_keeps_nan() {
        assert_eq!(exp(709.79), f64::INFINITY);
        assert_eq!(exp(1e300), f64::INFINITY);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
        assert!(ulps(exp(709.78), 709.78f64.exp()) <= 3.0);
    }

    #[test]
    fn a_row_is_the_exp_of_its_sums() {
        let b: Vec<f64> = (0..1001).map(|i| -(i as f64).sqrt() * 3.0).collect();
        let d: Vec<f64> = (0..1001).map(|i| -(i as f64) * 0.71).collect();
        let mut out = vec![0.0; 1001];
        exp_row(&mut out, -1.5, &b, &d);
        for (m, &e) in out.iter().enumerate() {
            assert_eq!(e, exp(-1.5 + b[m] + d[m]), "m = {m}");
            let want = (-1.5 + b[m] + d[m]).exp();
            assert!(want < 1e-300 || ulps(e, want) <= 3.0, "m = {m}");
        }
    }
}
#[cfg(test)]
mod timing_tmp {
    #[test]
    #[ignore]
    fn time_it() {
        let n = 4000;
        let b: Vec<f64> = (0..n).map(|i| -(i as f64).sqrt() * 0.3).collect();
        let d: Vec<f64> = (0..n).map(|i| -(i as f64) * 0.0071).collect();
        let mut out = vec![0.0; n];
        let reps = 25_000;
        let t = std::time::Instant::now();
        let mut acc = 0.0;
        for i in 0..reps {
            super::exp_row(&mut out, -1.0 - i as f64 * 1e-6, &b, &d);
            acc += out[i % n];
        }
        let el = t.elapsed().as_secs_f64();
        eprintln!("TIME {:.3} ns/entry ({acc})", el * 1e9 / (n * reps) as f64);
        let t = std::time::Instant::now();
        for i in 0..reps / 10 {
            for ((o, b), d) in out.iter_mut().zip(&b).zip(&d) { *o = (-1.0 - i as f64 * 1e-6 + b + d).exp(); }
            acc += out[i % n];
        }
        let el = t.elapsed().as_secs_f64();
        eprintln!("LIBM {:.3} ns/entry ({acc})", el * 1e9 / (n * reps / 10) as f64);
    }
}
