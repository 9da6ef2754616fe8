//! Outcome probabilities and the two ways of writing them (docs/reference.md §1).
//!
//! Relative spelling (`defect`, `abstain`, `absent`; the rest follows the whip) and
//! explicit spelling (`yes`, `no`, `abstain`, `absent`; one left out takes the
//! remainder) both resolve to a [`Probs`] whose four entries sum to 1 within 1e-9;
//! they are then divided by their sum ([`Probs::normalised`]), so that both engines
//! see one law that sums to 1 up to rounding. The swing's odds scaling is part of
//! the model ([`crate::model`]).

use super::raw::RawProbs;
use super::{Outcome, Whip};

/// How far from 1 the four probabilities may sum.
pub const SUM_TOLERANCE: f64 = 1e-9;

/// Probabilities of yes, no, abstain and absent, summing to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probs(pub [f64; 4]);

impl Probs {
    /// The probability of one outcome.
    pub fn of(&self, outcome: Outcome) -> f64 {
        self.0[outcome as usize]
    }

    /// Everyone follows `whip`.
    pub fn follow(whip: Whip) -> Probs {
        let mut p = [0.0; 4];
        p[whip.outcome() as usize] = 1.0;
        Probs(p)
    }

    /// The probabilities with yes and no exchanged (a bloc that switches).
    pub fn switched(&self) -> Probs {
        let [y, n, a, s] = self.0;
        Probs([n, y, a, s])
    }

    /// The probabilities divided by their sum, so that they sum to 1 up to rounding
    /// (validation accepts sums within 1e-9 of 1; both engines then
    /// use the same renormalised law). Unchanged when the sum is already 1.
    pub fn normalised(&self) -> Probs {
        let total: f64 = self.0.iter().sum();
        if total == 1.0 || total <= 0.0 { *self } else { Probs(self.0.map(|p| p / total)) }
    }
}

/// Why a set of probability keys does not resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbsError {
    /// The key to name in the message.
    pub key: &'static str,
    /// What is wrong and what would be valid.
    pub message: String,
}

fn err(key: &'static str, message: String) -> ProbsError {
    ProbsError { key, message }
}

fn check_range(key: &'static str, value: Option<f64>) -> Result<(), ProbsError> {
    match value {
        Some(v) if v.is_nan() => Err(err(key, "is NaN; a probability is a number in [0, 1]".into())),
        Some(v) if !(0.0..=1.0).contains(&v) => Err(err(key, format!("is {v}; a probability must lie in [0, 1]"))),
        _ => Ok(()),
    }
}

/// Resolves either spelling against `whip`; `None` when no key is given at all.
pub fn resolve(raw: &RawProbs, whip: Whip) -> Result<Option<Probs>, ProbsError> {
    for (key, value) in
        [("defect", raw.defect), ("yes", raw.yes), ("no", raw.no), ("abstain", raw.abstain), ("absent", raw.absent)]
    {
        check_range(key, value)?;
    }
    let explicit = raw.yes.is_some() || raw.no.is_some();
    if explicit && raw.defect.is_some() {
        let other = if raw.yes.is_some() { "yes" } else { "no" };
        return Err(err(
            "defect",
            format!(
                "mixes the two spellings: `defect` is relative to the whip, `{other}` is explicit; \
                 use either defect/abstain/absent or yes/no/abstain/absent"
            ),
        ));
    }
    let none = raw == &RawProbs::default();
    match (none, explicit) {
        (true, _) => Ok(None),
        (false, true) => resolve_explicit(raw).map(|p| Some(p.normalised())),
        (false, false) => resolve_relative(raw, whip).map(|p| Some(p.normalised())),
    }
}

fn resolve_relative(raw: &RawProbs, whip: Whip) -> Result<Probs, ProbsError> {
    let (defect, abstain, absent) = (raw.defect.unwrap_or(0.0), raw.abstain.unwrap_or(0.0), raw.absent.unwrap_or(0.0));
    let stated = defect + abstain + absent;
    if stated > 1.0 + SUM_TOLERANCE {
        return Err(err(
            "defect",
            format!(
                "defect + abstain + absent = {stated}, more than 1; the rest follows the whip, so they must sum to at most 1"
            ),
        ));
    }
    let mut p = [0.0; 4];
    p[whip.defection() as usize] += defect;
    p[Outcome::Abstain as usize] += abstain;
    p[Outcome::Absent as usize] += absent;
    p[whip.outcome() as usize] += (1.0 - stated).max(0.0);
    Ok(Probs(p))
}

fn resolve_explicit(raw: &RawProbs) -> Result<Probs, ProbsError> {
    let given = [raw.yes, raw.no, raw.abstain, raw.absent];
    let names = ["yes", "no", "abstain", "absent"];
    let missing: Vec<usize> = (0..4).filter(|&i| given[i].is_none()).collect();
    let stated: f64 = given.iter().flatten().sum();
    let mut p = given.map(|v| v.unwrap_or(0.0));
    if let [only] = missing[..] {
        if stated > 1.0 + SUM_TOLERANCE {
            return Err(err(
                names[(only + 1) % 4],
                format!(
                    "the stated probabilities sum to {stated}, more than 1, so nothing is left for `{}`",
                    names[only]
                ),
            ));
        }
        p[only] = (1.0 - stated).max(0.0);
        return Ok(Probs(p));
    }
    if (stated - 1.0).abs() > SUM_TOLERANCE {
        let key = names[given.iter().position(Option::is_some).unwrap_or(0)];
        return Err(err(
            key,
            format!(
                "yes + no + abstain + absent = {stated}, but they must sum to 1 (within 1e-9); \
                 leave exactly one of them out to let it take the remainder"
            ),
        ));
    }
    Ok(Probs(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(
        defect: Option<f64>,
        yes: Option<f64>,
        no: Option<f64>,
        abstain: Option<f64>,
        absent: Option<f64>,
    ) -> RawProbs {
        RawProbs { defect, yes, no, abstain, absent }
    }

    #[test]
    fn relative_spelling_sends_the_rest_to_the_whip() {
        let p = resolve(&raw(Some(0.1), None, None, Some(0.2), None), Whip::No).unwrap().unwrap();
        assert_eq!(p.0, [0.1, 0.7, 0.2, 0.0]);
    }

    #[test]
    fn defection_under_a_yes_whip_is_a_no_vote() {
        let p = resolve(&raw(Some(0.25), None, None, None, Some(0.25)), Whip::Yes).unwrap().unwrap();
        assert_eq!(p.0, [0.5, 0.25, 0.0, 0.25]);
    }

    #[test]
    fn abstain_whip_collects_abstentions_and_the_rest() {
        let p = resolve(&raw(Some(0.4), None, None, Some(0.1), None), Whip::Abstain).unwrap().unwrap();
        assert_eq!(p.0, [0.4, 0.0, 0.6, 0.0]);
    }

    #[test]
    fn explicit_spelling_with_one_left_out_takes_the_remainder() {
        let p = resolve(&raw(None, Some(0.4), None, Some(0.6), None), Whip::Abstain).unwrap().unwrap();
        assert_eq!(p.0, [0.4, 0.0, 0.6, 0.0]);
        let p = resolve(&raw(None, Some(0.9), Some(0.05), None, Some(0.0)), Whip::Yes).unwrap().unwrap();
        assert!((p.0[2] - 0.05).abs() < 1e-15);
    }

    #[test]
    fn rejects_probabilities_that_do_not_sum_to_one() {
        let e = resolve(&raw(None, Some(0.5), Some(0.3), None, None), Whip::Yes).unwrap_err();
        assert!(e.message.contains("0.8"), "{}", e.message);
    }

    #[test]
    fn rejects_mixed_spellings() {
        let e = resolve(&raw(Some(0.1), Some(0.5), None, None, None), Whip::Yes).unwrap_err();
        assert_eq!(e.key, "defect");
    }

    #[test]
    fn rejects_nan_and_out_of_range_values() {
        assert_eq!(resolve(&raw(None, Some(f64::NAN), None, None, None), Whip::Yes).unwrap_err().key, "yes");
        assert_eq!(resolve(&raw(None, None, None, None, Some(1.5)), Whip::Yes).unwrap_err().key, "absent");
    }

    #[test]
    fn no_keys_resolve_to_none() {
        assert_eq!(resolve(&RawProbs::default(), Whip::Yes).unwrap(), None);
    }

    #[test]
    fn probabilities_within_the_tolerance_are_renormalised_to_sum_to_one() {
        let p = resolve(&raw(None, Some(0.5), Some(0.2), Some(0.3 - 9e-10), Some(0.0)), Whip::Yes).unwrap().unwrap();
        assert!((p.0.iter().sum::<f64>() - 1.0).abs() < 1e-15, "{:?}", p.0);
        assert!((p.0[0] / p.0[1] - 2.5).abs() < 1e-12);
        let exact = resolve(&raw(None, Some(0.25), Some(0.75), None, None), Whip::Yes).unwrap().unwrap();
        assert_eq!(exact.0, [0.25, 0.75, 0.0, 0.0]);
    }
}
