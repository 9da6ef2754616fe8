//! Count distributions of one bloc: the joint law of (counted yes, other) votes.
//!
//! `k` exchangeable members fall into three categories (counted yes, other, neither)
//! with mean probabilities `q`. With cohesion ρ = 0 the counts are multinomial; with
//! 0 < ρ < 1 they are Dirichlet-multinomial with concentration c = (1 − ρ)/ρ,
//!
//! P(y, o, n) = k!/(y! o! n!) · Γ(c)/Γ(k + c) · Π Γ(x_i + α_i)/Γ(α_i),  α = c·q;
//!
//! with ρ = 1 the whole bloc falls into one category. Every term is summed in log
//! space as rising factorials divided by c^x, Σ_{j<x} ln(q + j/c) (a zero α gives
//! −∞ rather than NaN, and c = ∞ gives the multinomial exactly), exponentiated
//! relative to the largest and normalised. A concentration above
//! [`MAX_CONCENTRATION`] (ρ below about 1e-250, down to subnormal ρ, whose c
//! overflows) is taken as independence; both engines decide this by
//! [`concentration`]. The relative error of each entry is O(k·ε·max|log P|),
//! below 1e-12 for k ≤ 1000.

use super::joint::Joint;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Concentrations c = (1 − ρ)/ρ above this are taken as infinite (independent
/// members): the Dirichlet-multinomial law of k members then differs from the
/// multinomial by less than k²/c < 1e-240 in total variation.
pub const MAX_CONCENTRATION: f64 = 1e250;

/// The Dirichlet concentration c = (1 − ρ)/ρ of cohesion `rho` in [0, 1), or
/// `None` when the members are independent (ρ = 0, or c above [`MAX_CONCENTRATION`]).
pub fn concentration(rho: f64) -> Option<f64> {
    let c = (1.0 - rho) / rho;
    (rho > 0.0 && c <= MAX_CONCENTRATION).then_some(c)
}

/// Log of x! for x = 0..=k: a prefix of one table built once (the same sums in
/// the same order, so the same bits), or built afresh beyond it.
pub(crate) fn log_factorials(k: usize) -> Cow<'static, [f64]> {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    if k >= CACHED_FACTORIALS {
        return Cow::Owned(sum_logs(k));
    }
    Cow::Borrowed(&TABLE.get_or_init(|| sum_logs(CACHED_FACTORIALS - 1))[..=k])
}

/// Log factorials kept once (512 KiB) for every bloc of fewer seats.
const CACHED_FACTORIALS: usize = 1 << 16;

/// ln 0!, ln 1!, …, ln k!, each the previous plus ln j.
fn sum_logs(k: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(k + 1);
    let mut acc = 0.0;
    out.push(0.0);
    for j in 1..=k {
        acc += (j as f64).ln();
        out.push(acc);
    }
    out
}

/// log of the per-category weight for x = 0..=k: x·ln q (multinomial) or
/// ln[Γ(x + α)/(Γ(α)·c^x)] = Σ_{j<x} ln(q + j/c) (Dirichlet-multinomial,
/// `concentration` = Some(c), α = c·q); the c^x factors cancel against the norm.
pub(crate) fn log_weights(q: f64, k: usize, concentration: Option<f64>) -> Vec<f64> {
    let mut out = Vec::with_capacity(k + 1);
    let mut acc = 0.0;
    out.push(0.0);
    let ln_q = q.ln();
    for j in 0..k {
        acc += match concentration {
            None => ln_q,
            Some(c) => (q + j as f64 / c).ln(),
        };
        out.push(acc);
    }
    out
}

/// The joint law of (yes, other) for `k` members with category probabilities
/// `q = [yes, other, neither]` and cohesion `rho`; `with_other` false folds other
/// into neither (a 1-D table over yes).
pub fn bloc_counts(k: u32, q: [f64; 3], rho: f64, with_other: bool) -> Joint {
    let k = k as usize;
    let q = if with_other { q } else { [q[0], 0.0, q[1] + q[2]] };
    let mut joint = Joint::zeros(k, if with_other { k } else { 0 });
    if k == 0 {
        joint.set(0, 0, 1.0);
    } else if rho >= 1.0 {
        joint.add(k, 0, q[0]);
        joint.add(0, if with_other { k } else { 0 }, q[1]);
        joint.add(0, 0, q[2]);
    } else {
        fill_compound(&mut joint, k, q, concentration(rho), with_other);
    }
    joint
}

fn fill_compound(joint: &mut Joint, k: usize, q: [f64; 3], c: Option<f64>, with_other: bool) {
    let lf = log_factorials(k);
    // Without the other count only its weight at 0 (which is 0) is read.
    let other = if with_other { log_weights(q[1], k, c) } else { vec![0.0] };
    let w = [log_weights(q[0], k, c), other, log_weights(q[2], k, c)];
    let norm = c.map_or(0.0, |c| log_weights(1.0, k, Some(c))[k]);
    let max_o = if with_other { k } else { 0 };
    let mut logs = Vec::with_capacity((k + 1) * (max_o + 1));
    for y in 0..=k {
        for o in 0..=max_o.min(k - y) {
            let n = k - y - o;
            let lp = lf[k] - lf[y] - lf[o] - lf[n] + w[0][y] + w[1][o] + w[2][n] - norm;
            logs.push((y, o, lp));
        }
    }
    let top = logs.iter().map(|t| t.2).fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for &(y, o, lp) in &logs {
        let p = (lp - top).exp();
        total += p;
        joint.set(y, o, p);
    }
    joint.scale(1.0 / total);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binomial(k: u64, y: u64, p: f64) -> f64 {
        let mut c = 1.0;
        for j in 0..y {
            c = c * (k - j) as f64 / (j + 1) as f64;
        }
        c * p.powi(y as i32) * (1.0 - p).powi((k - y) as i32)
    }

    /// Beta-binomial pmf by its ratio recurrence, independent of the log-space code.
    fn beta_binomial(k: u64, a: f64, b: f64) -> Vec<f64> {
        let mut p = vec![0.0; k as usize + 1];
        p[0] = (0..k).map(|j| (b + j as f64) / (a + b + j as f64)).product();
        for y in 0..k {
            p[y as usize + 1] =
                p[y as usize] * (k - y) as f64 / (y + 1) as f64 * (a + y as f64) / (b + (k - y - 1) as f64);
        }
        p
    }

    /// The kept table and a table built afresh past it agree to the bit, and a
    /// prefix is what a short table would be.
    #[test]
    fn log_factorials_are_the_same_bits_from_the_kept_table_and_afresh() {
        let (kept, fresh) = (log_factorials(CACHED_FACTORIALS - 1), log_factorials(CACHED_FACTORIALS));
        assert!(matches!((&kept, &fresh), (Cow::Borrowed(_), Cow::Owned(_))));
        assert_eq!(kept[..], fresh[..CACHED_FACTORIALS]);
        assert_eq!(log_factorials(5)[..], sum_logs(5)[..]);
        assert!((log_factorials(20)[20] - 2_432_902_008_176_640_000f64.ln()).abs() < 1e-13);
    }

    #[test]
    fn a_bloc_without_correlation_is_binomial_in_its_yes_count() {
        let joint = bloc_counts(30, [0.3, 0.5, 0.2], 0.0, false);
        for y in 0..=30 {
            assert!((joint.get(y, 0) - binomial(30, y as u64, 0.3)).abs() < 1e-14);
        }
    }

    #[test]
    fn a_bloc_with_cohesion_is_beta_binomial_in_its_yes_count() {
        let rho = 0.25;
        let c = (1.0 - rho) / rho;
        let joint = bloc_counts(40, [0.3, 0.5, 0.2], rho, false);
        let expected = beta_binomial(40, 0.3 * c, 0.7 * c);
        for (y, e) in expected.iter().enumerate() {
            assert!((joint.get(y, 0) - e).abs() < 1e-13, "y={y}");
        }
    }

    #[test]
    fn full_cohesion_moves_the_bloc_as_one() {
        let joint = bloc_counts(5, [0.6, 0.3, 0.1], 1.0, true);
        assert_eq!((joint.get(5, 0), joint.get(0, 5), joint.get(0, 0)), (0.6, 0.3, 0.1));
    }

    #[test]
    fn zero_probability_categories_never_occur() {
        let joint = bloc_counts(10, [0.0, 1.0, 0.0], 0.5, true);
        assert_eq!(joint.get(0, 10), 1.0);
        assert!(joint.total().is_finite());
    }

    /// Cohesion below about 5.6e-309 makes c = (1 − ρ)/ρ overflow; the law is then
    /// the binomial (it once came out NaN).
    #[test]
    fn subnormal_cohesion_is_binomial() {
        for rho in [5e-309, 1e-320, 1e-260] {
            let joint = bloc_counts(30, [0.3, 0.5, 0.2], rho, false);
            for y in 0..=30 {
                assert!((joint.get(y, 0) - binomial(30, y as u64, 0.3)).abs() < 1e-14, "rho={rho} y={y}");
            }
        }
    }

    #[test]
    fn subnormal_probabilities_under_cohesion_stay_finite() {
        let joint = bloc_counts(20, [5e-324, 1.0 - 5e-324, 0.0], 0.9, true);
        assert!(joint.total().is_finite() && (joint.total() - 1.0).abs() < 1e-14);
        assert!(joint.get(0, 20) > 0.99);
    }
}
