//! The chamber-wide swing's odds scaling (docs/reference.md §1, "Swing"): the one,
//! overflow-safe implementation that the exact engine, the sampler and its
//! tables all use. A draw z of the swing multiplies the odds of yes against each
//! other outcome of every member it moves by e = exp(σz), that is, it adds σz to
//! their log-odds.
//!
//! **Numerics.** A [`Lift`] carries both σz and e, so the hot paths compute the
//! exponential once per vote. Where e is a normal finite number and y·e + rest
//! lies in [1e-290, 1.8e308], the scaled probability is y·e/(y·e + rest), correct
//! to a few ulps. Outside that range (|σz| beyond about 709, or probabilities
//! within 1e-290 of 0 or 1) e or y·e overflows or underflows, and the result is
//! computed from the log-odds instead: t = ln y − ln rest + σz,
//! y' = 1/(1 + e^{−t}) and rest' = 1/(1 + e^{t}), each correct to a few ulps
//! relative to itself, so no probability is rounded to 0 or 1 that the model
//! does not put there.

use crate::scenario::Probs;

/// The swing's lift of the log-odds of yes: σz and its exponential e^{σz},
/// computed once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lift {
    /// σz, added to the log-odds of yes against each other outcome.
    shift: f64,
    /// e^{σz} (may overflow to ∞ or underflow to 0; the scaling then uses `shift`).
    factor: f64,
}

impl Lift {
    /// No lift: odds unchanged.
    pub const NONE: Lift = Lift { shift: 0.0, factor: 1.0 };

    /// The lift that adds `shift` (finite; σz) to the log-odds of yes.
    #[inline]
    pub fn new(shift: f64) -> Lift {
        Lift { shift, factor: shift.exp() }
    }

    /// The lift of a swing of standard deviation `sd` at draw `z`.
    #[inline]
    pub fn at(sd: f64, z: f64) -> Lift {
        Lift::new(sd * z)
    }

    /// σz.
    #[inline]
    pub fn shift(&self) -> f64 {
        self.shift
    }

    /// e^{σz}, which overflows to ∞ from σz ≈ 709.8 and underflows to 0 below
    /// about −745: use it only where that limit is handled (see [`scale_odds`]).
    #[inline]
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// This lift followed by one that adds `shift` more (its factor is the
    /// product of the two factors).
    pub fn then(&self, shift: f64) -> Lift {
        Lift { shift: self.shift + shift, factor: self.factor * shift.exp() }
    }
}

/// The probabilities of yes and of the other outcomes after a [`Lift`]: either a
/// common factor for the others (the ordinary case) or their new total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scaled {
    /// y' and the factor `scale` that multiplies each other outcome.
    Factor { yes: f64, scale: f64 },
    /// y' and the others' new total rest' (from the log-odds), which each
    /// other outcome shares in proportion to its old probability.
    Total { yes: f64, rest: f64 },
}

impl Scaled {
    /// The new probability of yes.
    #[inline]
    pub fn yes(&self) -> f64 {
        match *self {
            Scaled::Factor { yes, .. } | Scaled::Total { yes, .. } => yes,
        }
    }

    /// The new probability of another outcome of old probability `p`, out of an
    /// old total `rest` of the others.
    #[inline]
    pub fn part(&self, p: f64, rest: f64) -> f64 {
        match *self {
            Scaled::Factor { scale, .. } => p * scale,
            Scaled::Total { rest: new, .. } => p / rest * new,
        }
    }
}

impl Probs {
    /// The probabilities after the odds of yes against each other outcome are
    /// multiplied by e^{σz} (`lift`, the chamber-wide swing); see [`scale_odds`].
    /// The result sums to 1 up to rounding whatever the lift.
    pub fn swung(&self, lift: Lift) -> Probs {
        let [y, n, a, s] = self.0;
        let rest = n + a + s;
        let scaled = scale_odds(y, rest, lift);
        Probs([scaled.yes(), scaled.part(n, rest), scaled.part(a, rest), scaled.part(s, rest)])
    }
}

/// The smallest y·e + rest computed directly (below it 1/(y·e + rest) could
/// overflow and y·e lose digits).
const DIRECT_FLOOR: f64 = 1e-290;

/// The swing's odds scaling, the one implementation both engines use: an outcome
/// of probability `y` whose odds against the others (of total `rest`) are
/// multiplied by e = e^{σz} gets y·e/(y·e + rest), and the others are scaled by
/// 1/(y·e + rest). Where that is not representable (see the module's numerics)
/// it is computed from the log-odds and the others get their new total. No
/// step produces NaN or ∞. An outcome with probability 0 or 1 (rest = 0)
/// never moves.
#[inline]
pub fn scale_odds(y: f64, rest: f64, lift: Lift) -> Scaled {
    if y <= 0.0 || rest <= 0.0 {
        return Scaled::Factor { yes: y, scale: 1.0 };
    }
    let scaled = y * lift.factor;
    let total = scaled + rest;
    if lift.factor.is_normal() && (DIRECT_FLOOR..=f64::MAX).contains(&total) {
        Scaled::Factor { yes: scaled / total, scale: 1.0 / total }
    } else {
        let t = y.ln() - rest.ln() + lift.shift;
        Scaled::Total { yes: logistic(t), rest: logistic(-t) }
    }
}

/// 1/(1 + e^{−t}), to a few ulps relative to itself for every t (0 only where
/// it underflows, below t ≈ −745).
#[inline]
fn logistic(t: f64) -> f64 {
    if t >= 0.0 { 1.0 / (1.0 + (-t).exp()) } else { t.exp() / (1.0 + t.exp()) }
}

/// A probability `y` of yes after the swing lifts its log-odds by `lift`:
/// y·e/(y·e + 1 − y), overflow-safe ([`scale_odds`]); 0 and 1 stay put.
#[inline]
pub fn swing_odds(y: f64, lift: Lift) -> f64 {
    if y >= 1.0 { y } else { scale_odds(y, 1.0 - y, lift).yes() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swing_multiplies_the_odds_of_yes_against_each_other_outcome() {
        let p = Probs([0.2, 0.4, 0.3, 0.1]).swung(Lift::new(3f64.ln()));
        assert!(((p.0[0] / p.0[1]) - 3.0 * 0.5).abs() < 1e-12);
        assert!(((p.0[0] / p.0[3]) - 3.0 * 2.0).abs() < 1e-12);
        assert!((p.0.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn the_swing_never_overflows_into_nan() {
        for shift in [800.0, 690.0, -690.0, -800.0, 1e6, -1e6] {
            for y in [5e-324, 1e-300, 0.3, 1.0 - 1e-16] {
                let p = swing_odds(y, Lift::new(shift));
                assert!((0.0..=1.0).contains(&p), "y={y} shift={shift}: {p}");
            }
        }
        assert_eq!(swing_odds(0.3, Lift::new(800.0)), 1.0);
        assert_eq!(swing_odds(0.3, Lift::new(-800.0)), 0.0);
        assert_eq!((swing_odds(0.0, Lift::new(1e6)), swing_odds(1.0, Lift::new(-1e6))), (0.0, 1.0));
    }

    /// Beyond |σz| ≈ 709.8 e^{σz} overflows; a probability of 1e-305 lifted by
    /// 710 still has odds 1e-305·e^710 ≈ 2,230 (computed here as
    /// (1e-305·e^355)·e^355, a product that never overflows), not certainty.
    #[test]
    fn a_tiny_probability_lifted_past_the_overflow_keeps_its_odds() {
        let odds = 1e-305 * 355f64.exp() * 355f64.exp();
        let expected = odds / (odds + 1.0);
        let found = swing_odds(1e-305, Lift::new(710.0));
        assert!(found < 1.0 && ((found - expected) / (1.0 - expected)).abs() < 1e-9, "{found} vs {expected}");
        // The smallest subnormal lifted by 744 is about an even chance (ln 5e-324 ≈ −744.44):
        // its odds are e^{ln 5e-324 + 744}, computed in logs here.
        let subnormal = swing_odds(5e-324, Lift::new(744.0));
        let t = 5e-324f64.ln() + 744.0;
        assert!((subnormal - 1.0 / (1.0 + f64::exp(-t))).abs() < 1e-12, "{subnormal}");
    }

    /// The mirror image: a probability within 1e-305 of 1 pushed down by 710.
    #[test]
    fn a_near_certainty_pushed_past_the_underflow_keeps_its_odds() {
        let p = Probs([1.0, 1e-305, 0.0, 0.0]).swung(Lift::new(-710.0));
        let odds_other = 1e-305 * 355f64.exp() * 355f64.exp();
        assert!((p.0[1] - odds_other / (odds_other + 1.0)).abs() < 1e-12, "{:?}", p.0);
        assert!((p.0.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn ordinary_lifts_keep_the_direct_formula_to_the_bit() {
        for (y, shift) in [(0.3, 0.7), (1e-9, -3.0), (0.999, 12.0), (0.5, -700.0)] {
            let e = f64::exp(shift);
            assert_eq!(swing_odds(y, Lift::new(shift)), y * e / (y * e + (1.0 - y)));
        }
    }

    /// Probabilities within rounding of 1 (yes = 1, no = 1e-300) stay a law that
    /// sums to 1 at any lift (they once gave no = 3.7e151 at small factors).
    #[test]
    fn a_swung_law_sums_to_one_at_any_lift() {
        for p in [Probs([1.0, 1e-300, 0.0, 0.0]), Probs([1.0, 5e-324, 0.0, 0.0]), Probs([5e-324, 0.5, 0.5, 0.0])] {
            for shift in [-1e6, -800.0, -713.0, -460.0, -23.0, 0.0, 460.0, 800.0, 1e6] {
                let q = p.swung(Lift::new(shift));
                assert!(q.0.iter().all(|x| (0.0..=1.0).contains(x)), "shift={shift}: {:?}", q.0);
                assert!((q.0.iter().sum::<f64>() - 1.0).abs() < 1e-15, "shift={shift}: {:?}", q.0);
            }
        }
        let yes = Probs([1.0, 1e-300, 0.0, 0.0]).swung(Lift::new(-460.0)).0[0];
        assert!((yes - 1.0 / (1.0 + 1e-300 * 460f64.exp())).abs() < 1e-15, "{yes}");
    }
}
