//! The chamber-wide swing's odds scaling (docs/reference.md §1, "Swing"): the one,
//! overflow-safe implementation that the exact engine, the sampler and its
//! tables all use. A draw z of the swing multiplies the odds of yes against each
//! other outcome of every member it moves by e = exp(σz).

use crate::scenario::Probs;

impl Probs {
    /// The probabilities after the odds of yes against each other outcome are
    /// multiplied by `factor` (the chamber-wide swing, `factor = exp(σ z)`); see
    /// [`scale_odds`]. The result sums to 1 up to rounding whatever the factor.
    pub fn swung(&self, factor: f64) -> Probs {
        let [y, n, a, s] = self.0;
        let (yes, scale) = scale_odds(y, n + a + s, factor);
        Probs([yes, n * scale, a * scale, s * scale])
    }
}

/// The swing's odds scaling, the one implementation both engines use: an outcome
/// of probability `y` whose odds against the others (of total `rest`) are
/// multiplied by `e` gets y·e/(y·e + rest), and the others are scaled by
/// 1/(y·e + rest), so the result sums to y' + rest·scale = 1 whatever `rest` is.
/// Returns (y', scale). No step produces NaN: when y·e overflows (e = ∞ from
/// exp(σz) > 1.8e308, or y·e > 1.8e308) the result is the limit (1, 0), whose
/// error is below rest/(y·e) < 1e-308·rest/y; e = 0 gives (0, 1/rest). An outcome
/// with probability 0 or 1 (rest = 0) never moves.
#[inline]
pub fn scale_odds(y: f64, rest: f64, e: f64) -> (f64, f64) {
    if y <= 0.0 || rest <= 0.0 {
        return (y, 1.0);
    }
    let scaled = y * e;
    let total = scaled + rest;
    if total.is_finite() { (scaled / total, 1.0 / total) } else { (1.0, 0.0) }
}

/// A probability `y` of yes after the swing multiplies its odds by `e`:
/// y·e/(y·e + 1 − y), overflow-safe ([`scale_odds`]); 0 and 1 stay put.
#[inline]
pub fn swing_odds(y: f64, e: f64) -> f64 {
    if y >= 1.0 { y } else { scale_odds(y, 1.0 - y, e).0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swing_multiplies_the_odds_of_yes_against_each_other_outcome() {
        let p = Probs([0.2, 0.4, 0.3, 0.1]).swung(3.0);
        assert!(((p.0[0] / p.0[1]) - 3.0 * 0.5).abs() < 1e-12);
        assert!(((p.0[0] / p.0[3]) - 3.0 * 2.0).abs() < 1e-12);
        assert!((p.0.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn the_swing_never_overflows_into_nan() {
        for e in [f64::INFINITY, 1e300, 1e-300, 0.0] {
            for y in [5e-324, 1e-300, 0.3, 1.0 - 1e-16] {
                let p = swing_odds(y, e);
                assert!((0.0..=1.0).contains(&p), "y={y} e={e}: {p}");
            }
        }
        assert_eq!(swing_odds(0.3, f64::INFINITY), 1.0);
        assert_eq!(swing_odds(0.3, 0.0), 0.0);
        assert_eq!((swing_odds(0.0, f64::INFINITY), swing_odds(1.0, 0.0)), (0.0, 1.0));
    }

    /// Probabilities within rounding of 1 (yes = 1, no = 1e-300) stay a law that
    /// sums to 1 at any factor (they once gave no = 3.7e151 at small factors).
    #[test]
    fn a_swung_law_sums_to_one_at_any_factor() {
        let p = Probs([1.0, 1e-300, 0.0, 0.0]);
        for e in [0.0, 1e-310, 1e-200, 1e-10, 1.0, 1e200, f64::INFINITY] {
            let q = p.swung(e);
            assert!(q.0.iter().all(|x| (0.0..=1.0).contains(x)), "e={e}: {:?}", q.0);
            assert!((q.0.iter().sum::<f64>() - 1.0).abs() < 1e-15, "e={e}: {:?}", q.0);
        }
        assert_eq!(p.swung(1e-200).0[0], 1.0 / (1.0 + 1e-100));
    }
}
