//! How a motion is decided (docs/reference.md §1, "Rule").
//!
//! A [`Rule`] is compiled into a [`PassTest`] on two integer counts: counted yes
//! votes and the "other" votes the rule's base needs (no votes for `cast`, no votes
//! and abstentions for `present`, none for `membership`). For vote-based bases a
//! fraction p/q is tested exactly in integers as `(q − p)·yes − p·other ≥ 0`, so the
//! Monte Carlo sampler and the exact engine share one statistic,
//! `s = w_yes·yes − w_other·other`, and never compare floats.

use crate::outcome::{Outcome, Whip};

/// What a majority or fraction is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// All seats of the chamber, vacancies included.
    Membership,
    /// Members voting yes, no, or abstaining.
    Present,
    /// Members voting yes or no.
    Cast,
}

impl Base {
    /// The keyword of the scenario format.
    pub fn as_str(self) -> &'static str {
        match self {
            Base::Membership => "membership",
            Base::Present => "present",
            Base::Cast => "cast",
        }
    }
}

/// The bar the yes votes must clear.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// More than half of the base.
    Majority,
    /// At least this fraction of the base: the ratio num/den when there is one,
    /// else the decimal as written (validation allows that only on the membership).
    Fraction {
        /// The fraction as a number, in (0, 1].
        value: f64,
        /// The exact ratio (numerator, denominator), when there is one.
        ratio: Option<(u64, u64)>,
    },
    /// At least this many yes votes.
    Needed(u32),
}

/// A validated rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// What the threshold is taken of.
    pub base: Base,
    /// The bar.
    pub threshold: Threshold,
    /// Whether an exact tie passes (`tie = "passes"`).
    pub tie_passes: bool,
    /// Whether votes against the effective whip count (false: Article 63A reading).
    pub count_defectors: bool,
}

/// Where one member's vote goes, for the purposes of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// A counted yes vote.
    Yes = 0,
    /// A vote that counts in the base against the motion.
    Other = 1,
    /// Neither: absent, not counted, or irrelevant to the rule.
    Neither = 2,
}

/// The compiled test on (counted yes, other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassTest {
    /// yes ≥ n; n may exceed the seats (never passes).
    AtLeast(u32),
    /// s = yes_weight·yes − other_weight·other; passes when s > 0, or when s = 0
    /// and the comparison is not strict or a tie passes. Never with zero yes votes.
    Balance {
        /// Weight of a yes vote.
        yes_weight: u32,
        /// Weight of an other vote.
        other_weight: u32,
        /// Whether s = 0 is a tie rather than a pass.
        strict: bool,
        /// Whether a tie passes.
        tie_passes: bool,
    },
}

impl Rule {
    /// Where `outcome` of a member under effective whip `whip` counts.
    pub fn category(&self, outcome: Outcome, whip: Whip) -> Category {
        if !self.count_defectors && outcome == whip.defection() {
            return Category::Neither;
        }
        match (outcome, self.base) {
            (Outcome::Yes, _) => Category::Yes,
            (Outcome::No, Base::Present | Base::Cast) => Category::Other,
            (Outcome::Abstain, Base::Present) => Category::Other,
            _ => Category::Neither,
        }
    }

    /// The fixed count of yes votes needed, when the rule has one.
    pub fn needed(&self, seats: u32) -> Option<u32> {
        match self.test(seats) {
            PassTest::AtLeast(n) => Some(n),
            PassTest::Balance { .. } => None,
        }
    }

    /// Compiles the rule for a chamber of `seats`.
    pub fn test(&self, seats: u32) -> PassTest {
        let s = u64::from(seats);
        match (self.threshold, self.base) {
            (Threshold::Needed(n), _) => PassTest::AtLeast(n),
            (Threshold::Majority, Base::Membership) => PassTest::AtLeast((s / 2 + 1) as u32),
            (Threshold::Fraction { ratio: Some((num, den)), .. }, Base::Membership) => {
                PassTest::AtLeast((num * s).div_ceil(den) as u32)
            }
            // Validation gives every present or cast fraction a ratio.
            (Threshold::Fraction { value, ratio: None }, _) => PassTest::AtLeast(decimal_needed(value, seats)),
            (Threshold::Majority, _) => {
                PassTest::Balance { yes_weight: 1, other_weight: 1, strict: true, tie_passes: self.tie_passes }
            }
            (Threshold::Fraction { ratio: Some((num, den)), .. }, _) => PassTest::Balance {
                yes_weight: (den - num) as u32,
                other_weight: num as u32,
                strict: false,
                tie_passes: self.tie_passes,
            },
        }
    }

    /// The rule in words, e.g. "a majority of the membership (172 of 342)".
    pub fn describe(&self, seats: u32) -> String {
        let base = match self.base {
            Base::Membership => "the membership",
            Base::Present => "those present (abstentions count against)",
            Base::Cast => "the votes cast",
        };
        let mut text = match self.threshold {
            Threshold::Needed(n) => format!("at least {n} yes votes"),
            Threshold::Majority => format!("a majority of {base}"),
            Threshold::Fraction { ratio: Some((num, den)), .. } => format!("at least {num}/{den} of {base}"),
            Threshold::Fraction { value, .. } => format!("at least {value} of {base}"),
        };
        if let Some(n) = self.needed(seats) {
            if !matches!(self.threshold, Threshold::Needed(_)) {
                text.push_str(&format!(": {n} of {seats}"));
            }
        } else {
            let tie = if self.tie_passes { "passes" } else { "fails" };
            text.push_str(&format!("; a tie {tie}"));
        }
        if !self.count_defectors {
            text.push_str("; votes against the party's direction are not counted (Article 63A)");
        }
        text
    }
}

/// The decimal `v` was written as: the shortest decimal that reads back as the
/// same f64 (what the scenario held, unless it gave more than 17 significant
/// digits), as p/10^d reduced to lowest terms; `None` beyond 30 decimal places.
pub fn decimal_ratio(v: f64) -> Option<(u128, u128)> {
    let text = format!("{v}");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if !(v.is_finite() && v >= 0.0) || frac.len() > 30 {
        return None;
    }
    let p: u128 = format!("{whole}{frac}").parse().ok()?;
    let q = 10u128.pow(frac.len() as u32);
    let g = gcd(p, q).max(1);
    Some((p / g, q / g))
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The fewest yes votes that are at least the decimal `v` of `seats`, with `v`
/// read exactly as written ([`decimal_ratio`]): ⌈p·seats/q⌉ in integers. A
/// decimal with more than 30 places is below 1e-13, so it needs one vote.
fn decimal_needed(v: f64, seats: u32) -> u32 {
    match decimal_ratio(v) {
        Some((p, q)) => (p * u128::from(seats)).div_ceil(q) as u32,
        None => u32::from(v > 0.0),
    }
}

impl PassTest {
    /// Whether the test looks at the "other" count (votes present or cast against).
    pub fn needs_other(&self) -> bool {
        matches!(self, PassTest::Balance { .. })
    }

    /// The statistic s for (yes, other): yes itself for a fixed count.
    #[inline]
    pub fn statistic(&self, yes: u32, other: u32) -> i64 {
        match *self {
            PassTest::AtLeast(_) => i64::from(yes),
            PassTest::Balance { yes_weight, other_weight, .. } => {
                i64::from(yes_weight) * i64::from(yes) - i64::from(other_weight) * i64::from(other)
            }
        }
    }

    /// Whether the motion passes with `yes` counted yes votes and `other` votes against.
    #[inline]
    pub fn passes(&self, yes: u32, other: u32) -> bool {
        match *self {
            PassTest::AtLeast(n) => yes >= n,
            PassTest::Balance { .. } => yes > 0 && self.passes_statistic(self.statistic(yes, other)),
        }
    }

    /// Whether a statistic value passes (for `Balance`, given at least one yes vote).
    #[inline]
    pub fn passes_statistic(&self, s: i64) -> bool {
        match *self {
            PassTest::AtLeast(n) => s >= i64::from(n),
            PassTest::Balance { strict, tie_passes, .. } => s > 0 || (s == 0 && (!strict || tie_passes)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(base: Base, threshold: Threshold) -> Rule {
        Rule { base, threshold, tie_passes: false, count_defectors: true }
    }

    #[test]
    fn majority_of_membership_in_pakistan_needs_172() {
        assert_eq!(rule(Base::Membership, Threshold::Majority).needed(342), Some(172));
        assert_eq!(rule(Base::Membership, Threshold::Majority).needed(350), Some(176));
    }

    #[test]
    fn two_thirds_of_membership_rounds_up() {
        let t = Threshold::Fraction { value: 2.0 / 3.0, ratio: Some((2, 3)) };
        assert_eq!(rule(Base::Membership, t).needed(342), Some(228));
        assert_eq!(rule(Base::Membership, t).needed(343), Some(229));
    }

    #[test]
    fn cast_majority_ties_go_by_the_tie_rule() {
        let mut r = rule(Base::Cast, Threshold::Majority);
        assert!(!r.test(10).passes(5, 5));
        assert!(r.test(10).passes(6, 4));
        r.tie_passes = true;
        assert!(r.test(10).passes(5, 5));
    }

    #[test]
    fn fraction_of_present_is_tested_in_integers() {
        let t = Threshold::Fraction { value: 2.0 / 3.0, ratio: Some((2, 3)) };
        let test = rule(Base::Present, t).test(100);
        assert!(test.passes(20, 10));
        assert!(!test.passes(19, 10));
    }

    #[test]
    fn a_motion_with_no_yes_votes_never_passes_on_a_vote_base() {
        let t = Threshold::Fraction { value: 0.5, ratio: Some((1, 2)) };
        assert!(!rule(Base::Cast, t).test(10).passes(0, 0));
    }

    #[test]
    fn defecting_votes_are_dropped_when_defectors_do_not_count() {
        let mut r = rule(Base::Present, Threshold::Majority);
        r.count_defectors = false;
        assert_eq!(r.category(Outcome::Yes, Whip::Abstain), Category::Neither);
        assert_eq!(r.category(Outcome::No, Whip::Abstain), Category::Other);
        assert_eq!(r.category(Outcome::No, Whip::Yes), Category::Neither);
        assert_eq!(r.category(Outcome::Abstain, Whip::Yes), Category::Other);
    }

    /// A decimal is used as written on a membership base: 0.5000000004 of 2 seats
    /// is more than 1, so it needs 2 (it was once read as 1/2, needing 1).
    #[test]
    fn a_decimal_on_the_membership_is_used_as_written() {
        let t = |value: f64| Threshold::Fraction { value, ratio: None };
        assert_eq!(rule(Base::Membership, t(0.5000000004)).needed(2), Some(2));
        assert_eq!(rule(Base::Membership, t(0.51)).needed(100), Some(51));
        assert_eq!(rule(Base::Membership, t(0.51)).needed(101), Some(52));
        assert_eq!(rule(Base::Membership, t(0.123456789)).needed(1_000), Some(124));
        assert_eq!(rule(Base::Membership, t(1e-300)).needed(100_000), Some(1));
    }

    #[test]
    fn decimals_read_back_as_the_ratio_written() {
        assert_eq!(decimal_ratio(0.6), Some((3, 5)));
        assert_eq!(decimal_ratio(0.5000000004), Some((1_250_000_001, 2_500_000_000)));
        assert_eq!(decimal_ratio(1.0), Some((1, 1)));
        assert_eq!(decimal_ratio(1e-40), None);
    }
}
